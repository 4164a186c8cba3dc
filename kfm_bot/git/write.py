"""Git writes for promotion, done with plumbing so no working tree is ever touched.

Commits and tags get fixed identities and dates (the merge's time), so the same promotion
on the same parent is the same object on every machine: that is what makes re-runs and
concurrent runs converge instead of duplicating.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
    """The tree of `parent` with `files` added or replaced; objects only, no ref, no checkout.

    Only the directories on the written paths are read (two `ls-tree`) and rebuilt; their
    objects are hashed here and written by one `hash-object`. Reading the whole tree into an
    index instead cost time in proportion to the repository (10,000 manifests: ~0.3 s).
    """
    dirs = sorted({p.rsplit("/", 1)[0] if "/" in p else "" for p in files} | {""})
    for d in list(dirs):
        while d:
            d = d.rsplit("/", 1)[0] if "/" in d else ""
            dirs.append(d)
    changed = set(dirs)
    listing: dict[str, dict[str, tuple[str, str]]] = {d: {} for d in changed}
    outputs = [str(_git(repo).ls_tree("-z", parent))]
    if changed - {""}:
        outputs.append(
            str(_git(repo).ls_tree("-z", parent, "--", *[d + "/" for d in changed if d]))
        )
    for out in outputs:
        for record in out.split("\0"):
            meta, _, path = record.partition("\t")
            fields = meta.split()
            where, _, name = path.rpartition("/")
            if len(fields) == 3 and where in listing:
                listing[where][name] = (fields[0].lstrip("0"), fields[2])
    algo = hashlib.sha256 if len(parent) == 64 else hashlib.sha1
    objects: list[tuple[str, bytes]] = []
    for path, data in files.items():
        where, _, name = path.rpartition("/")
        listing[where][name] = ("100644", _object_id(algo, "blob", data))
        objects.append(("blob", data))
    root = ""
    for d in sorted(changed, key=lambda d: -d.count("/") if d else 1):
        body = _tree_body(listing[d])
        sha = _object_id(algo, "tree", body)
        objects.append(("tree", body))
        if d:
            where, _, name = d.rpartition("/")
            listing[where][name] = ("40000", sha)
        else:
            root = sha
    _write_objects(repo, objects)
    return root


def _object_id(algo: Callable[[bytes], Any], kind: str, data: bytes) -> str:
    return str(algo(b"%s %d\0%s" % (kind.encode(), len(data), data)).hexdigest())


def _tree_body(entries: Mapping[str, tuple[str, str]]) -> bytes:
    """Git's tree encoding: entries sorted by name, a directory's name as if it ended in /."""

    def key(name: str) -> bytes:
        return (name + "/" if entries[name][0] == "40000" else name).encode()

    return b"".join(
        b"%s %s\0%s" % (entries[n][0].encode(), n.encode(), bytes.fromhex(entries[n][1]))
        for n in sorted(entries, key=key)
    )


def _write_objects(repo: GitDir, objects: list[tuple[str, bytes]]) -> None:
    """Blobs and trees into the object database: one `hash-object` for each kind."""
    with tempfile.TemporaryDirectory() as tmp:
        for kind in ("blob", "tree"):
            paths = []
            for n, (k, data) in enumerate(objects):
                if k == kind:
                    path = Path(tmp) / f"{kind}{n}"
                    path.write_bytes(data)
                    paths.append(str(path))
            if paths:
                listed = Path(tmp) / f"{kind}.txt"
                listed.write_text("\n".join(paths) + "\n")
                with listed.open("rb") as fh:
                    _git(repo).hash_object("-w", "-t", kind, "--stdin-paths", istream=fh)


def commit_tree(
    repo: GitDir, tree: str, parent: str, message: str, identity: Identity, epoch: int
) -> str:
    env = _env(identity, epoch)
    return str(_git(repo).commit_tree(tree, "-p", parent, "-m", message, env=env)).strip()


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


def remote_refs(
    repo: GitDir, remote: str, *patterns: str, kinds: tuple[str, ...] = ()
) -> dict[str, str]:
    """ref name -> object id on the remote (peeled tags appear as `<tag>^{}`).

    `kinds` ("heads", "tags") become `--heads`/`--tags`, which protocol v2 sends as ref
    prefixes: the remote advertises only those refs (`patterns` are matched here, after the
    remote has sent everything)."""
    import git as gitmod

    flags = [f"--{kind}" for kind in kinds]
    try:
        out = str(_git(repo).ls_remote(*flags, remote, *patterns))
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


def track(repo: GitDir, ref: str, commit: str) -> bool:
    """Point the tracking `ref` at `commit` without a fetch, when `commit` is already here
    (a CI checkout of the pushed branch has it). False when it is not: fetch instead.

    A fetch checks its new objects' connectivity against every local ref and marks every local
    ref's commit complete first; with 10,000 release tags in the clone that is most of a
    second for nothing when the remote's tip is already here. Objects in a full (not shallow)
    repository are connected by git's own invariant, so a present commit has its history."""
    present = _git(repo).rev_parse(
        "--verify", "--quiet", f"{commit}^{{commit}}", with_exceptions=False
    )
    if str(present).strip() != commit:
        return False
    _git(repo).update_ref("-m", "kfm-bot: remote tip already local", ref, commit)
    return True


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


def push(repo: GitDir, remote: str, *refspecs: str) -> bool:
    """True when the remote took every ref; False when one was rejected (not a fast-forward, a
    tag already there). Several refspecs go in one `--atomic` push: all of them or none, and
    one transfer (each push costs the remote's whole ref advertisement and connectivity check,
    which grow with its 10,000 tags)."""
    import git as gitmod

    atomic = ["--atomic"] if len(refspecs) > 1 else []
    try:
        _git(repo).push("--quiet", "--porcelain", *atomic, remote, *refspecs)
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
