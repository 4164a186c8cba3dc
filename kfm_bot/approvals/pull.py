"""The approvals of one PR from a local clone: snapshots, classes and digests, then the engine."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from kfm_bot.approvals.classify import classify_changes
from kfm_bot.approvals.digest import unit_digests
from kfm_bot.approvals.engine import evaluate_approvals
from kfm_bot.approvals.facts import PullFacts
from kfm_bot.approvals.result import ApprovalResult
from kfm_bot.errors import KfmError
from kfm_bot.gates.engine.context import DocumentStore
from kfm_bot.git import read
from kfm_bot.policy.policyset import load_policies
from kfm_bot.repo.snapshot import CommitSnapshot

if TYPE_CHECKING:
    from kfm_bot.git.read import Repo


class _DigestsAt:
    """`digest_at` for the engine: a commit's unit digests, or None when the clone lacks it."""

    def __init__(self, repo: Repo, units: list[str]) -> None:
        self._repo = repo
        self._units = units

    def __call__(self, sha: str) -> Mapping[str, str] | None:
        try:
            commit = read.resolve(self._repo, sha)
            return unit_digests(CommitSnapshot(self._repo, commit), self._units)
        except (KfmError, OSError, ValueError):
            return None


def evaluate_pull(repo_dir: Path, facts: PullFacts) -> ApprovalResult:
    """Evaluate a PR whose base and head commits (and reviewed commits) are in the clone.

    Policies (roster and requirements) are read at `facts.base_sha`; the changes are those
    from the merge base of base and head to head, as GitHub's "Files changed" shows them.
    Raises UsageError when the base or head commit is missing from the clone.
    """
    repo = read.open_repo(repo_dir)
    base = read.resolve(repo, facts.base_sha)
    head = read.resolve(repo, facts.head_sha)
    fork_point = read.merge_base(repo, base, head)
    policies = load_policies(DocumentStore(CommitSnapshot(repo, base)))
    head_snap = CommitSnapshot(repo, head)
    changed = {p for c in read.diff(repo, fork_point, head) for p in (c.path, c.old_path) if p}
    units = classify_changes(CommitSnapshot(repo, fork_point), head_snap, changed, policies)
    head_digests = unit_digests(head_snap, units)
    return evaluate_approvals(policies, units, head_digests, _DigestsAt(repo, sorted(units)), facts)
