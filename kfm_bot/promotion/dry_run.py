"""`kfm-bot promote --dry-run` on a local clone, without GitHub: no token, no network, no writes.

The same plan, gates and documents as a real promotion (promotion/run.py), with the offline
host: commits are only read, and what a promotion would write is printed (paths and digests of
the manifest and policy decision, the ledger line, the commit message and the tag).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kfm_bot.git.gitdir import GitDir
from kfm_bot.promotion.approvals_file import load_approvals
from kfm_bot.promotion.offline import NOT_CHECKED, OfflinePromotionHost
from kfm_bot.promotion.run import PromoteOptions, promote


def offline_dry_run(
    repo_dir: Path,
    commit: str | None,
    approvals_file: Path | None,
    asked_to_write: bool,
    say: Callable[[str], None],
) -> int:
    """Exit 0 when every planned promotion would go ahead, 1 when one would be refused."""
    approvals = load_approvals(approvals_file) if approvals_file is not None else None
    repo = GitDir(repo_dir)
    upto = commit or "HEAD"
    note = "; --push and --release are ignored" if asked_to_write else ""
    say(f"offline dry run up to {upto}: GitHub is not asked and nothing is written{note}")
    if approvals is None:
        say(NOT_CHECKED)
    host = OfflinePromotionHost(repo, approvals, say)
    return promote(PromoteOptions(repo_dir, upto, dry_run=True), host, say)
