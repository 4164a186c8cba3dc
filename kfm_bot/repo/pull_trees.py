"""The trees a pull request's approvals are judged on, read from a local clone.

Git is read here, so that the approvals package stays pure logic over snapshots: the policies
at the base, the changes from the fork point to the head, and any other commit on request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kfm_bot.git import read
from kfm_bot.git.gitdir import GitDir
from kfm_bot.repo.snapshot import CommitSnapshot, Snapshot


@dataclass(frozen=True)
class PullTrees:
    """A PR's base (policies), fork point and head snapshots, and the paths it changes."""

    base: Snapshot
    fork_point: Snapshot
    head: Snapshot
    changed: frozenset[str]  # new and old paths of every change, as "Files changed" shows
    # Any other commit of the clone (a reviewed one); raises KfmError when the clone lacks it.
    at: Callable[[str], Snapshot]


def read_pull_trees(repo_dir: Path, base_sha: str, head_sha: str) -> PullTrees:
    """Raises UsageError when the base or head commit is missing from the clone."""
    repo = GitDir(repo_dir)
    base = read.resolve(repo, base_sha)
    head = read.resolve(repo, head_sha)
    fork_point = read.merge_base(repo, base, head)
    changed = {p for c in read.diff(repo, fork_point, head) for p in (c.path, c.old_path) if p}
    # One snapshot per commit: a reviewed commit is most often the head itself, and a second
    # snapshot of it would list its whole tree again (10,000 promotions: ~50 ms a listing).
    known = {sha: CommitSnapshot(repo, sha) for sha in (base, fork_point, head)}

    def at(rev: str) -> Snapshot:
        sha = read.resolve(repo, rev)
        if sha not in known:
            known[sha] = CommitSnapshot(repo, sha)
        return known[sha]

    return PullTrees(known[base], known[fork_point], known[head], frozenset(changed), at)
