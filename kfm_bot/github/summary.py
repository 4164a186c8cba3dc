"""What a run prints: escaped log lines and the job summary ($GITHUB_STEP_SUMMARY)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kfm_bot.github.limits import clip_bytes
from kfm_bot.github.protect import redact

MAX_STEP_SUMMARY = 1024 * 1024  # GitHub's limit per step summary


def write_step_summary(path: Path | None, markdown: str, protected: frozenset[str]) -> None:
    if path is None:
        return
    text = clip_bytes(redact(markdown, protected)[0], MAX_STEP_SUMMARY - 1024)
    with path.open("a", encoding="utf-8") as out:
        out.write(text + "\n")


def log_findings(
    say: Any, report: dict[str, Any], protected: frozenset[str], cap: int = 200
) -> None:
    """The findings as plain log lines (escaped by the caller's `log`), capped."""
    shown = 0
    for gate in report["gates"]:
        for f in gate["findings"]:
            if shown == cap:
                say(f"… more findings not shown (cap {cap})")
                return
            shown += 1
            where = f"{f['path']}:{f['line'] or 1}" if f.get("path") else "(repository)"
            say(redact(f"{f['severity']} {f['rule']} {where}: {f['message']}", protected)[0])
