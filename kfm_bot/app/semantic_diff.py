"""`kfm-bot diff`: what changed between two revisions, in words, with the roles it needs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kfm_bot.approvals.semantic_diff import UnitDiff


def diff_change(repo_dir: Path, base: str | None, head: str | None) -> tuple[UnitDiff, ...]:
    """The semantic diff of base → head (default: merge base with the default branch → the
    working tree), judged by the base's policies as the approvals check judges a PR."""
    from kfm_bot.approvals.semantic_diff import semantic_diff
    from kfm_bot.gates.evaluate import snapshots
    from kfm_bot.git.gitdir import GitDir
    from kfm_bot.policy.policyset import load_policies
    from kfm_bot.repo.documents import DocumentStore
    from kfm_bot.repo.revisions import pick

    root = repo_dir.resolve()
    picked = pick(GitDir(root), base, head, everything=False)
    old, new, changes = snapshots(GitDir(root), root, picked.base, picked.head, False)
    policies = (
        load_policies(DocumentStore(old)) if old is not None else load_policies(DocumentStore(new))
    )
    return semantic_diff(old, new, changes.touched, policies)
