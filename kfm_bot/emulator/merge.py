"""Merging a pull request in its bare repository: merge commit, squash, or rebase."""

from __future__ import annotations

import tempfile
from pathlib import Path

from kfm_bot.emulator.gitcmd import GitError, git
from kfm_bot.emulator.state import Pull, User

METHODS = ("merge", "squash", "rebase")


def _identity(user: User) -> dict[str, str]:
    email = f"{user.id}+{user.login}@users.noreply.github.com"
    return {"GIT_AUTHOR_NAME": user.login, "GIT_AUTHOR_EMAIL": email}


def merge(bare: Path, pull: Pull, method: str, author: User, merger: User) -> str:
    """Do the merge the way GitHub does and return the new tip of the base branch."""
    if method not in METHODS:
        raise ValueError(f"unknown merge method {method!r}; use one of {', '.join(METHODS)}")
    with tempfile.TemporaryDirectory(prefix="kfm-emu-merge-") as tmp:
        work = Path(tmp) / "work"
        git(bare, "clone", "--quiet", "--branch", pull.base_ref, str(bare.resolve()), str(work))
        git(work, "fetch", "--quiet", "origin", f"refs/pull/{pull.number}/head")
        try:
            _METHODS[method](work, pull, author, merger)
        except GitError as exc:
            raise ValueError(f"pull request #{pull.number} cannot be merged: {exc}") from None
        sha = git(work, "rev-parse", "HEAD").strip()
        git(work, "push", "--quiet", "origin", f"HEAD:refs/heads/{pull.base_ref}")
    return sha


def _merge_commit(work: Path, pull: Pull, author: User, merger: User) -> None:
    message = f"Merge pull request #{pull.number} from {_source(pull)}\n\n{pull.title}"
    git(
        work,
        "merge",
        "--quiet",
        "--no-ff",
        "--no-edit",
        "-m",
        message,
        pull.head_sha,
        env=_identity(merger),
    )


def _squash(work: Path, pull: Pull, author: User, merger: User) -> None:
    git(work, "merge", "--quiet", "--squash", pull.head_sha)
    message = f"{pull.title} (#{pull.number})"
    if pull.body:
        message += f"\n\n{pull.body}"
    git(work, "commit", "--quiet", "--allow-empty", "-m", message, env=_identity(author))


def _rebase(work: Path, pull: Pull, author: User, merger: User) -> None:
    git(work, "checkout", "--quiet", "-B", "kfm-rebase", pull.head_sha)
    # GitHub rewrites every commit (new committer) even when no rebase is needed.
    git(work, "rebase", "--quiet", "--force-rebase", "--no-autosquash", pull.base_ref)
    tip = git(work, "rev-parse", "HEAD").strip()
    git(work, "checkout", "--quiet", pull.base_ref)
    git(work, "merge", "--quiet", "--ff-only", tip)


def _source(pull: Pull) -> str:
    owner = (pull.head_repo or pull.repo).split("/", 1)[0]
    return f"{owner}/{pull.head_ref}"


_METHODS = {"merge": _merge_commit, "squash": _squash, "rebase": _rebase}
