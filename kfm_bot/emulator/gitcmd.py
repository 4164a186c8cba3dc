"""The emulator's git plumbing: every repository is a bare git repository driven by `git`."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
_IDENTITY = {
    "GIT_AUTHOR_NAME": "GitHub",
    "GIT_AUTHOR_EMAIL": "noreply@github.com",
    "GIT_COMMITTER_NAME": "GitHub",
    "GIT_COMMITTER_EMAIL": "noreply@github.com",
}


class GitError(Exception):
    """A git command failed."""


def git_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """An environment that ignores the user's git configuration and hooks."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(_IDENTITY)
    env.update({"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "LC_ALL": "C"})
    env.update(extra or {})
    return env


def git(
    repo: Path,
    *args: str,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
    check: bool = True,
) -> str:
    """Run git in `repo` and return stdout as text."""
    return git_bytes(repo, *args, stdin=stdin, env=env, check=check).decode("utf-8", "replace")


def git_bytes(
    repo: Path,
    *args: str,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
    check: bool = True,
) -> bytes:
    """Run git in `repo` and return raw stdout."""
    proc = subprocess.run(
        ["git", "-C", str(repo), *args],
        input=stdin,
        capture_output=True,
        env=git_env(env),
        check=False,
        timeout=60,
    )
    if check and proc.returncode != 0:
        raise GitError(f"git {' '.join(args[:2])} failed: {proc.stderr.decode(errors='replace')}")
    return proc.stdout


def init_bare(path: Path, default_branch: str) -> None:
    """Create a bare repository whose HEAD names `default_branch`."""
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "--quiet", "--bare", f"--initial-branch={default_branch}")
    git(path, "config", "receive.denyNonFastForwards", "false")


def rev_parse(repo: Path, rev: str) -> str | None:
    """The commit sha that `rev` names, or None."""
    out = git(repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", check=False)
    return out.strip() or None


def object_type(repo: Path, sha: str) -> str | None:
    """The object type (commit, tree, blob, tag) of `sha`, or None when it does not exist."""
    out = git(repo, "cat-file", "-t", sha, check=False).strip()
    return out or None


def resolve_ref(repo: Path, ref: str) -> str | None:
    """The commit for a branch, tag, full ref or sha, as GitHub's `{ref}` parameters accept."""
    for candidate in (f"refs/heads/{ref}", f"refs/tags/{ref}", ref):
        sha = rev_parse(repo, candidate)
        if sha:
            return sha
    return None


def list_refs(repo: Path, prefix: str = "refs/") -> list[tuple[str, str, str]]:
    """(refname, object sha, object type) for every ref under `prefix`."""
    out = git(repo, "for-each-ref", "--format=%(refname) %(objectname) %(objecttype)", prefix)
    return [tuple(line.split(" ", 2)) for line in out.splitlines() if line]  # type: ignore[misc]


def update_ref(repo: Path, ref: str, sha: str) -> None:
    git(repo, "update-ref", ref, sha)


def commit_tree_from_dir(repo: Path, source: Path | None, branch: str, message: str) -> str:
    """Commit the files of `source` (or nothing) as the first commit of `branch`."""
    index = repo / "kfm-emulator-index"
    env = {"GIT_INDEX_FILE": str(index)}
    try:
        if source is not None:
            src = str(source.resolve())
            where = ("--git-dir", str(repo.resolve()), "--work-tree", src)
            git(source, *where, "add", "--all", "--force", ".", env=env)
            tree = git(source, *where, "write-tree", env=env).strip()
        else:
            tree = EMPTY_TREE
        sha = git(repo, "commit-tree", tree, "-m", message).strip()
    finally:
        index.unlink(missing_ok=True)
    update_ref(repo, f"refs/heads/{branch}", sha)
    return sha


def fetch(repo: Path, source: Path, refspec: str) -> None:
    """Copy objects and a ref from another local repository (a fork) into `repo`."""
    git(repo, "fetch", "--quiet", "--no-tags", str(source), f"+{refspec}")
