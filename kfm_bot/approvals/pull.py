"""The approvals of one PR from its trees: policies, classes and digests, then the engine."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from kfm_bot.approvals.classify import classify_changes
from kfm_bot.approvals.digest import unit_digests
from kfm_bot.approvals.engine import evaluate_approvals
from kfm_bot.approvals.facts import PullFacts
from kfm_bot.approvals.result import ApprovalResult
from kfm_bot.approvals.semantic_diff import semantic_diff
from kfm_bot.errors import KfmError
from kfm_bot.policy.policyset import load_policies
from kfm_bot.repo.documents import DocumentStore
from kfm_bot.repo.pull_trees import PullTrees


class _DigestsAt:
    """`digest_at` for the engine: a commit's unit digests, or None when the clone lacks it."""

    def __init__(self, trees: PullTrees, units: list[str]) -> None:
        self._trees = trees
        self._units = units

    def __call__(self, sha: str) -> Mapping[str, str] | None:
        try:
            return unit_digests(self._trees.at(sha), self._units)
        except (KfmError, OSError, ValueError):
            return None


def evaluate_pull(trees: PullTrees, facts: PullFacts) -> ApprovalResult:
    """Evaluate a PR whose base and head commits (and reviewed commits) are in the clone.

    Policies (roster and requirements) are read at the base; the changes are those from the
    merge base of base and head to head, as GitHub's "Files changed" shows them
    (`kfm_bot.repo.pull_trees.read_pull_trees` reads them from git).
    """
    policies = load_policies(DocumentStore(trees.base))
    units = classify_changes(trees.fork_point, trees.head, set(trees.changed), policies)
    head_digests = unit_digests(trees.head, units)
    result = evaluate_approvals(
        policies, units, head_digests, _DigestsAt(trees, sorted(units)), facts
    )
    diff = semantic_diff(trees.fork_point, trees.head, set(trees.changed), policies, units)
    return replace(result, diff=diff)
