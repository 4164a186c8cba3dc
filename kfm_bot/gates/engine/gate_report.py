"""Turns gate results into the gate report v1 document (DESIGN section 9): the gates' output.

It lives with the gates, which produce it; `kfm_bot.report` only renders a finished report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kfm_bot.findings import Finding
from kfm_bot.gates.engine.runner import GateResult, conclusion

REPORT_VERSION = "v1"


@dataclass(frozen=True)
class DatasetId:
    dataset_slug: str
    spec_hash: str | None
    blocked_by: tuple[str, ...] = ()  # quarantined sources it uses (kfm_bot.gates.engine.blocked)


def finding_dict(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "severity": f.severity.value,
        "message": f.message,
        "path": f.path,
        "line": f.line,
        "column": f.column,
    }


def dataset_dict(d: DatasetId) -> dict[str, Any]:
    """`status`/`blocked_by` appear only for a blocked dataset, so unblocked reports keep their
    v1 shape byte for byte (readers written before blocking existed still accept them)."""
    item: dict[str, Any] = {"dataset_slug": d.dataset_slug, "spec_hash": d.spec_hash}
    if d.blocked_by:
        item.update(status="blocked", blocked_by=list(d.blocked_by))
    return item


def gate_report(
    base: str | None,
    head: str,
    datasets: Sequence[DatasetId],
    results: Sequence[GateResult],
    checked_anything: bool = True,
) -> dict[str, Any]:
    """The report; `neutral` when nothing governed changed and nothing was found."""
    verdict = conclusion(list(results))
    if not checked_anything and verdict == "success" and not any(r.findings for r in results):
        verdict = "neutral"
    return {
        "kfm_gate_report_version": REPORT_VERSION,
        "base": base,
        "head": head,
        "conclusion": verdict,
        "datasets": [dataset_dict(d) for d in sorted(datasets, key=lambda d: d.dataset_slug)],
        "gates": [
            {
                "gate": r.gate,
                "name": r.name,
                "status": r.status,
                "findings": [finding_dict(f) for f in r.findings],
            }
            for r in results
        ],
    }
