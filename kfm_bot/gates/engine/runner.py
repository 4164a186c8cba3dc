"""Runs the gates over a context and composes their verdicts, failing closed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kfm_bot.errors import ServiceError
from kfm_bot.findings import Finding, Severity, error
from kfm_bot.gates.engine.context import GateContext
from kfm_bot.gates.engine.gate_spec import GateSpec, check_name
from kfm_bot.models.report import Conclusion, GateStatus
from kfm_bot.progress import Progress


@dataclass
class GateOutcome:
    """One gate's run with its findings as objects; `models.report.GateResult` is its JSON form."""

    gate: str
    name: str
    status: GateStatus
    findings: list[Finding] = field(default_factory=list)


def run_gate(spec: GateSpec, ctx: GateContext) -> GateOutcome:
    findings: list[Finding] = []
    for check in spec.checks:
        try:
            findings.extend(check(ctx))
        except ServiceError:
            # A store that cannot answer (a zone, gate E) gives no verdict: the command fails
            # closed with exit 3, never passes and never blames the change.
            raise
        except Exception as exc:  # a crashing check fails, never passes
            findings.append(
                error(
                    f"{spec.gate}.internal",
                    f"check {check_name(check)} crashed: {type(exc).__name__}: {exc}",
                )
            )
    if spec.warn_only:
        findings = [_as_warning(f) for f in findings]
    findings.sort(key=Finding.sort_key)
    return GateOutcome(spec.gate, spec.name, _status(findings), findings)


def _as_warning(f: Finding) -> Finding:
    if f.severity is not Severity.ERROR or f.rule.endswith(".internal"):
        return f
    return Finding(f.rule, Severity.WARNING, f.message, f.path, f.line, f.column)


def _status(findings: list[Finding]) -> GateStatus:
    if any(f.is_error for f in findings):
        return "fail"
    if any(f.severity is Severity.WARNING for f in findings):
        return "warn"
    return "pass"


def run_all(
    ctx: GateContext, gates: Mapping[str, GateSpec], progress: Progress | None = None
) -> list[GateOutcome]:
    """Every gate of the table (`kfm_bot.gates.registry.GATES`) in order. No gates at all is
    itself a failure. `progress` counts one unit per gate (a terminal's progress line)."""
    if not gates:
        return [GateOutcome("-", "gates", "fail", [error("gates.none", "no gates are registered")])]
    outcomes = []
    for spec in gates.values():
        if progress is not None:
            progress.show(f"gate {spec.gate} ({spec.name})")
        outcomes.append(run_gate(spec, ctx))
        if progress is not None:
            progress.advance(f"gate {spec.gate} ({spec.name})")
    return outcomes


def combine(first: list[GateOutcome], second: list[GateOutcome]) -> list[GateOutcome]:
    """Two runs of the same gates merged: every finding of either, so either one failing fails."""
    if [r.gate for r in first] != [r.gate for r in second]:
        return [GateOutcome("-", "gates", "fail", [error("gates.internal", "gate runs differ")])]
    merged = []
    for a, b in zip(first, second, strict=True):
        findings = sorted(dict.fromkeys(a.findings + b.findings), key=Finding.sort_key)
        merged.append(GateOutcome(a.gate, a.name, _status(findings), findings))
    return merged


def conclusion(results: list[GateOutcome]) -> Conclusion:
    if not results or any(r.status == "fail" for r in results):
        return "failure"
    return "success"
