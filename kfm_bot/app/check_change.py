"""Check a change: the gate report of what changed between two revisions, or of everything."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kfm_bot.gates.evaluate import Evaluation
    from kfm_bot.models.report import GateReport


@dataclass(frozen=True)
class CheckedChange:
    """The evaluation (its context reads the compared commits) and the report that names them."""

    evaluation: Evaluation
    report: GateReport


def check_change(
    repo_dir: Path, base: str | None, head: str | None, everything: bool
) -> CheckedChange:
    """The gate report, naming the refs as they were given or picked (`kfm-bot check`)."""
    import gc

    from kfm_bot.gates.evaluate import evaluate
    from kfm_bot.git.gitdir import GitDir
    from kfm_bot.progress import Progress
    from kfm_bot.repo.revisions import pick

    # Everything imported so far lives as long as the process: freezing it keeps the
    # collector from walking it again on every full collection, which over 10,000 parsed
    # documents cost a tenth of `check --all`.
    gc.freeze()
    root = repo_dir.resolve()
    # Resolved here, once: the gates then run on these commits, and the report names them.
    picked = pick(GitDir(root), base, head, everything)
    # On a terminal only (kfm_bot/progress.py): never in CI logs, a pipe or a redirect.
    evaluation = evaluate(
        root, picked.base, picked.head, everything, progress=Progress("checking", 0)
    )
    report = evaluation.report.model_copy(
        update={"base_ref": picked.base_ref, "head_ref": picked.head_ref}
    )
    return CheckedChange(evaluation, report)
