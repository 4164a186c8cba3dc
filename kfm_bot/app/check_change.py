"""Check a change: the gate report of what changed between two revisions, or of everything."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def check_change(
    repo_dir: Path, base: str | None, head: str | None, everything: bool
) -> dict[str, Any]:
    """The gate report, naming the refs as they were given or picked (`kfm-bot check`)."""
    from kfm_bot.gates.engine.evaluate import evaluate
    from kfm_bot.git import read
    from kfm_bot.repo.revisions import pick

    root = repo_dir.resolve()
    # Resolved here, once: the gates then run on these commits, and the report names them.
    picked = pick(read.open_repo(root), base, head, everything)
    evaluation = evaluate(root, picked.base, picked.head, everything)
    return {**evaluation.report, "base_ref": picked.base_ref, "head_ref": picked.head_ref}
