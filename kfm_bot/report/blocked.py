"""Blocked datasets as every report format states them: one sentence, written in one place."""

from __future__ import annotations

from kfm_bot.models.report import GateReport


def blocked(report: GateReport) -> list[tuple[str, list[str]]]:
    """(dataset slug, quarantined sources) for each dataset the report marks `blocked`."""
    return [
        (d.dataset_slug, list(d.blocked_by or [])) for d in report.datasets if d.status == "blocked"
    ]


def sentence(slug: str, sources: list[str]) -> str:
    """Plain text; each format escapes it as it escapes any other string from the repository."""
    return (
        f"dataset {slug} is blocked by quarantined source(s) {', '.join(sources)}: "
        "promotion and export refuse it until the quarantine is lifted"
    )
