"""Git writes for promotion, done with plumbing so no working tree is ever touched.

Commits and tags get fixed identities and dates (the merge's time), so the same promotion
on the same parent is the same object on every machine: that is what makes re-runs and
concurrent runs converge instead of duplicating.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kfm_bot.errors import ServiceError
from kfm_bot.git.gitdir import GitDir, gitpython

if TYPE_CHECKING:
    import git


_CREDENTIALS = re.compile(r"://[^/@\s]+@")


@dataclass(frozen=True)
class Identity:
    name: str
    email: str

    @classmethod
    def bot(cls) -> Identity:
        return cls(
            os.environ.get("KFM_BOT_NAME", "kfm-bot[bot]"),
            os.environ.get("KFM_BOT_EMAIL", "kfm-bot[bot]@users.noreply.github.com"),
        )


def _git(repo: GitDir) -> git.Git:
    return gitpython(repo).git


def _env(identity: Identity, epoch: int) -> dict[str, str]:
    date = f"{epoch} +0000"
    return {
        "GIT_AUTHOR_NAME": identity.name,
        "GIT_AUTHOR_EMAIL": identity.email,
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_NAME": identity.name,
        "GIT_COMMITTER_EMAIL": identity.email,
        "GIT_COMMITTER_DATE": date,
    }


def write_tree(repo: GitDir, parent: str, files: Mapping[str, bytes]) -> str:
    """The tree of `parent` with `files` added or replaced; objects only, no ref, no checkout."""
    with tempfile.TemporaryDirectory() as tmp:
        index_env = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}
        _git(repo).read_tree(parent, env=index_env)
        for path, data in sorted(files.items()):
            blob = _hash_object(repo, data)
            _git(repo).update_index("--add", "--cacheinfo", f"100644,{blob},{path}", env=index_env)
        return str(_git(repo).write_tree(env=index_env)).strip()


def commit_tree(
    repo: GitDir, tree: str, parent: str, message: str, identity: Identity, epoch: int
) -> str:
    env = _env(identity, epoch)
    return str(_git(repo).commit_tree(tree, "-p", parent, "-m", message, env=env)).strip()


def _hash_object(repo: GitDir, data: bytes) -> str:
    with tempfile.NamedTemporaryFile() as fh:
        fh.write(data)
        fh.flush()
        return str(_git(repo).hash_object("-w", fh.name)).strip()


def create_tag(
    repo: GitDir, name: str, target: str, message: str, identity: Identity, epoch: int
) -> str:
    """An annotated tag object and local ref `refs/tags/<name>`; returns the tag object id."""
    _git(repo).tag("-a", "-f", name, target, "-m", message, env=_env(identity, epoch))
    return str(_git(repo).rev_parse(f"refs/tags/{name}")).strip()


def authenticate(repo: GitDir, remote: str, token: str) -> bool:
    """Let git reach an https remote with `token`, through the environment of this process only.

    Nothing is written to .git/config (checkouts run with persist-credentials: false) and the
    token never appears on a command line, where a failing command's message could show it.
    """
    import base64
    from urllib.parse import urlsplit

    url = str(_git(repo).remote("get-url", remote, with_exceptions=False)).strip()
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return False  # ssh or a local path: git already knows how to reach it
    basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
    _git(repo).update_environment(
        GIT_CONFIG_COUNT="1",
        GIT_CONFIG_KEY_0=f"http.https://{parts.hostname}/.extraheader",
        GIT_CONFIG_VALUE_0=f"AUTHORIZATION: basic {basic}",
        GIT_TERMINAL_PROMPT="0",
    )
    return True


def remote_refs(repo: GitDir, remote: str, *patterns: str) -> dict[str, str]:
    """ref name -> object id on the remote (peeled tags appear as `<tag>^{}`)."""
    import git as gitmod

    try:
        out = str(_git(repo).ls_remote(remote, *patterns))
    except gitmod.GitCommandError as exc:
        raise ServiceError(f"cannot reach the remote {remote!r}: {_first_line(exc)}") from None
    refs: dict[str, str] = {}
    for line in out.splitlines():
        sha, _, ref = line.partition("\t")
        refs[ref] = sha
    return refs


def fetch(repo: GitDir, remote: str, *refspecs: str) -> None:
    import git as gitmod

    try:
        _git(repo).fetch("--quiet", "--no-tags", remote, *refspecs)
    except gitmod.GitCommandError as exc:
        raise ServiceError(f"git fetch from {remote!r} failed: {_first_line(exc)}") from None


def unshallow(repo: GitDir, remote: str) -> None:
    """Full history for a shallow CI checkout: planning walks back to the last promotion."""
    import git as gitmod

    if str(_git(repo).rev_parse("--is-shallow-repository")).strip() != "true":
        return
    try:
        _git(repo).fetch("--quiet", "--unshallow", "--no-tags", remote)
    except gitmod.GitCommandError as exc:
        raise ServiceError(
            f"git fetch --unshallow from {remote!r} failed: {_first_line(exc)}"
        ) from None


def push(repo: GitDir, remote: str, refspec: str) -> bool:
    """True when the remote took it; False when it was rejected as not a fast-forward."""
    import git as gitmod

    try:
        _git(repo).push("--quiet", "--porcelain", remote, refspec)
    except gitmod.GitCommandError as exc:
        text = f"{exc.stdout}\n{exc.stderr}"
        if "rejected" in text or "non-fast-forward" in text or "fetch first" in text:
            return False
        raise ServiceError(f"git push to {remote!r} failed: {_first_line(exc)}") from None
    return True


def _first_line(exc: Exception) -> str:
    stderr = str(getattr(exc, "stderr", "") or exc).strip()
    line = next((ln.strip() for ln in stderr.splitlines() if ln.strip()), "unknown error")
    line = _CREDENTIALS.sub("://***@", line)  # a remote URL may carry a token
    return line.removeprefix("stderr: ").strip("'")[:300]


def fast_forward(repo: GitDir, commit: str) -> None:
    """Fast-forward the checked-out branch and its working tree to `commit`."""
    _git(repo).merge("--ff-only", "--quiet", commit)


def update_ref(repo: GitDir, ref: str, new: str, old: str) -> None:
    """Move `ref` to `new`, only if it still points at `old`."""
    _git(repo).update_ref(ref, new, old)
