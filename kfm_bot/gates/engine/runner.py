"""Runs the gates over a context and composes their verdicts, failing closed."""

from __future__ import annotations

from dataclasses import dataclass, field

from kfm_bot.findings import Finding, Severity, error
from kfm_bot.gates.engine.context import GateContext
from kfm_bot.gates.engine.registry import GATES, GateSpec, load_check


@dataclass
class GateResult:
    gate: str
    name: str
    status: str  # pass | fail | warn | skip
    findings: list[Finding] = field(default_factory=list)


def run_gate(spec: GateSpec, ctx: GateContext) -> GateResult:
    findings: list[Finding] = []
    for check in spec.checks:
        try:
            findings.extend(load_check(check)(ctx))
        except Exception as exc:  # a crashing check fails, never passes
            findings.append(
                error(
                    f"{spec.gate}.internal", f"check {check} crashed: {type(exc).__name__}: {exc}"
                )
            )
    if spec.warn_only:
        findings = [_as_warning(f) for f in findings]
    findings.sort(key=Finding.sort_key)
    return GateResult(spec.gate, spec.name, _status(findings), findings)


def _as_warning(f: Finding) -> Finding:
    if f.severity is not Severity.ERROR or f.rule.endswith(".internal"):
        return f
    return Finding(f.rule, Severity.WARNING, f.message, f.path, f.line, f.column)


def _status(findings: list[Finding]) -> str:
    if any(f.is_error for f in findings):
        return "fail"
    if any(f.severity is Severity.WARNING for f in findings):
        return "warn"
    return "pass"


def run_all(ctx: GateContext, gates: dict[str, GateSpec] | None = None) -> list[GateResult]:
    """Every registered gate in order. No gates at all is itself a failure."""
    registry = GATES if gates is None else gates
    if not registry:
        return [GateResult("-", "gates", "fail", [error("gates.none", "no gates are registered")])]
    return [run_gate(spec, ctx) for spec in registry.values()]


def combine(first: list[GateResult], second: list[GateResult]) -> list[GateResult]:
    """Two runs of the same gates merged: every finding of either, so either one failing fails."""
    if [r.gate for r in first] != [r.gate for r in second]:
        return [GateResult("-", "gates", "fail", [error("gates.internal", "gate runs differ")])]
    merged = []
    for a, b in zip(first, second, strict=True):
        findings = sorted(dict.fromkeys(a.findings + b.findings), key=Finding.sort_key)
        merged.append(GateResult(a.gate, a.name, _status(findings), findings))
    return merged


def conclusion(results: list[GateResult]) -> str:
    if not results or any(r.status == "fail" for r in results):
        return "failure"
    return "success"
