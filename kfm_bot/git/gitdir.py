"""A repository by its path: what the rest of kfm-bot holds instead of a GitPython handle.

Why a value and not a bare `Path` handed to every call: GitPython reads blobs through one
long-lived `git cat-file --batch` process per handle, so opening the repository per call
starts a process per blob read (300 reads of this repository: 30 ms with one handle, 970 ms
re-opening each time). And `write.authenticate` hands git a token through the handle's
environment, which must outlive the call that sets it. So a GitDir opens the handle once and
keeps it; only `read` and `write` look inside, through `gitpython`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kfm_bot.errors import UsageError

if TYPE_CHECKING:
    import git


class GitDir:
    """The git repository whose working tree is `path` (not searched for in parent folders)."""

    __slots__ = ("_handle", "path")

    def __init__(self, path: Path) -> None:
        import git  # lazy: `kfm-bot --version` and the handlers' cold start never pay for it

        try:
            self._handle = git.Repo(path, search_parent_directories=False)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            raise UsageError(f"{path} is not a git repository; pass --repo DIR") from None
        self.path = path

    def __repr__(self) -> str:
        return f"GitDir({str(self.path)!r})"


def gitpython(repo: GitDir) -> git.Repo:
    """The GitPython handle behind `repo`: for kfm_bot.git's own modules (and tests) only."""
    return repo._handle
