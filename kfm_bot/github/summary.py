"""What a run prints: escaped log lines and the job summary ($GITHUB_STEP_SUMMARY).

`write_step_summary` is the one writer of the job summary, for the event handlers and for
`kfm-bot check --format github` alike: every summary is redacted and clipped to GitHub's limit.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kfm_bot.github.limits import clip_bytes
from kfm_bot.github.protect import redact
from kfm_bot.models.report import GateReport
from kfm_bot.report.finding_lines import text_line

MAX_STEP_SUMMARY = 1024 * 1024  # GitHub's limit per step summary


def write_step_summary(path: Path | None, markdown: str, protected: frozenset[str]) -> None:
    """Append `markdown`, redacted and clipped, as given (callers end it as they need)."""
    if path is None:
        return
    text = clip_bytes(redact(markdown, protected)[0], MAX_STEP_SUMMARY - 1024)
    with path.open("a", encoding="utf-8") as out:
        out.write(text)


def log_findings(
    say: Callable[[str], object], report: GateReport, protected: frozenset[str], cap: int = 200
) -> None:
    """The findings as plain log lines, capped: the line `check` prints
    (`report/finding_lines.py`), escaped again by the caller's `log`."""
    shown = 0
    for gate in report.gates:
        for f in gate.findings:
            if shown == cap:
                say(f"… more findings not shown (cap {cap})")
                return
            shown += 1
            say(redact(text_line(f), protected)[0])
