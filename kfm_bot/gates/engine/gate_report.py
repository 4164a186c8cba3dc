"""Turns gate results into the gate report v1 document (DESIGN section 9): the gates' output.

It lives with the gates, which produce it; `kfm_bot.report` only renders a finished report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kfm_bot.findings import Finding
from kfm_bot.gates.engine.runner import GateOutcome, conclusion
from kfm_bot.models.report import GateReport, GateResult, ReportDataset, ReportFinding

REPORT_VERSION = "v1"


@dataclass(frozen=True)
class DatasetId:
    dataset_slug: str
    spec_hash: str | None
    blocked_by: tuple[str, ...] = ()  # quarantined sources it uses (kfm_bot.gates.engine.blocked)


def report_finding(f: Finding) -> ReportFinding:
    return ReportFinding(
        rule=f.rule,
        severity=f.severity.value,
        message=f.message,
        path=f.path,
        line=f.line,
        column=f.column,
    )


def report_dataset(d: DatasetId) -> ReportDataset:
    """`status`/`blocked_by` are set only for a blocked dataset, so unblocked reports keep their
    v1 shape byte for byte (readers written before blocking existed still accept them).

    Not validated: the scope names every directory under specs/, also one whose name breaks the
    slug rule (gate A reports that), and the report states what was checked as it is.
    """
    if d.blocked_by:
        return ReportDataset.model_construct(
            dataset_slug=d.dataset_slug,
            spec_hash=d.spec_hash,
            status="blocked",
            blocked_by=list(d.blocked_by),
        )
    return ReportDataset.model_construct(dataset_slug=d.dataset_slug, spec_hash=d.spec_hash)


def report_gate(r: GateOutcome) -> GateResult:
    findings = [report_finding(f) for f in r.findings]
    return GateResult(gate=r.gate, name=r.name, status=r.status, findings=findings)


def gate_report(
    base: str | None,
    head: str,
    datasets: Sequence[DatasetId],
    results: Sequence[GateOutcome],
    checked_anything: bool = True,
) -> GateReport:
    """The report; `neutral` when nothing governed changed and nothing was found."""
    verdict = conclusion(list(results))
    if not checked_anything and verdict == "success" and not any(r.findings for r in results):
        verdict = "neutral"
    return GateReport(
        kfm_gate_report_version=REPORT_VERSION,
        base=base,
        head=head,
        conclusion=verdict,
        datasets=[report_dataset(d) for d in sorted(datasets, key=lambda d: d.dataset_slug)],
        gates=[report_gate(r) for r in results],
    )
