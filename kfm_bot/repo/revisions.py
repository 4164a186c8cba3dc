"""Which two revisions `kfm-bot check` compares: the refs given or picked, resolved to commits.

The default base is the merge base with the default branch. When that branch is the one being
checked (a clone whose origin/HEAD is the feature branch, or a run on the default branch
itself), the merge base is the head: nothing the branch changed would be checked and the
verdict would be an empty "neutral". That is refused, with how to name the base instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kfm_bot.errors import UsageError
from kfm_bot.git import read

if TYPE_CHECKING:
    from kfm_bot.git.gitdir import GitDir


@dataclass(frozen=True)
class Revisions:
    """Resolved commits (None: no base with --all; the working tree as head) and their names."""

    base: str | None
    base_ref: str | None
    head: str | None
    head_ref: str | None


def pick(repo: GitDir, base: str | None, head: str | None, everything: bool) -> Revisions:
    head_sha = read.resolve(repo, head) if head else None
    # The working tree's name is its branch: that is what a contributor sees in their shell.
    head_ref = head if head else read.branch_of(repo, None)
    if base is not None:
        return Revisions(read.resolve(repo, base), base, head_sha, head_ref)
    if everything:
        return Revisions(None, None, head_sha, head_ref)
    picked = read.default_branch(repo)
    _refuse_the_branch_itself(repo, picked, head, head_sha)
    base_sha = read.merge_base(repo, picked, head_sha or "HEAD")
    return Revisions(base_sha, picked, head_sha, head_ref)


def _refuse_the_branch_itself(
    repo: GitDir, picked: str, head: str | None, head_sha: str | None
) -> None:
    branch = read.branch_of(repo, head)
    if branch is not None:
        same, what = read.branch_of(repo, picked) == branch, f"branch {branch}"
    else:  # a commit id or a detached HEAD: the same commit is the same thing
        commit = head_sha or read.resolve(repo, "HEAD")
        same, what = read.resolve(repo, picked) == commit, f"commit {commit[:12]}"
    if same:
        raise UsageError(
            f"the default base {picked} is the {what} being checked, so none of its changes"
            " would be compared; pass --base with the branch it will merge into"
            " (for example --base origin/main), or --all to check everything"
        )
