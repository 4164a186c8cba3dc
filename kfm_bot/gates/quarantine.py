"""Gate B, quarantine: a quarantined or retired source blocks every dataset in scope using it."""

from __future__ import annotations

from typing import Any

from kfm_bot.findings import Finding
from kfm_bot.gates.context import GateContext
from kfm_bot.gates.docref import at, source_data, spec_data, spec_sources, text

RULES: dict[str, str] = {
    "B.source-quarantined": "a dataset uses a quarantined source; remove it from `sources`, or "
    "wait until its remediation owner lifts the quarantine",
    "B.quarantine-incomplete": "a quarantined source needs `quarantine.reason_code` and "
    "`quarantine.remediation` with `owner` and `due`; add them",
    "B.source-retired": "a dataset uses a retired source; remove it from `sources` or use the "
    "source that replaced it",
}


def run(ctx: GateContext) -> list[Finding]:
    findings: list[Finding] = []
    for source_id in ctx.in_scope_sources():
        data = source_data(ctx, source_id)
        if data is not None and data.get("status") == "quarantined":
            findings += _incomplete(ctx, source_id, data)
    for slug in ctx.in_scope_datasets():
        findings += _blocked(ctx, slug)
    return findings


def _incomplete(ctx: GateContext, source_id: str, data: dict[str, Any]) -> list[Finding]:
    path = ctx.source_path(source_id)
    missing = [
        name
        for name, value in (
            ("reason_code", text(data, "quarantine", "reason_code")),
            ("remediation.owner", text(data, "quarantine", "remediation", "owner")),
            ("remediation.due", text(data, "quarantine", "remediation", "due")),
        )
        if not (value and value.strip())
    ]
    if not missing:
        return []
    pointer = ("quarantine",) if isinstance(data.get("quarantine"), dict) else ("status",)
    fields = ", ".join(f"quarantine.{name}" for name in missing)
    msg = (
        f"source `{source_id}` is quarantined without {fields}; add a reason code and a "
        "remediation owner (GitHub login) and due date (quoted YYYY-MM-DD)"
    )
    return [at(ctx, "B.quarantine-incomplete", msg, path, pointer)]


def _blocked(ctx: GateContext, slug: str) -> list[Finding]:
    spec = spec_data(ctx, slug)
    if spec is None:
        return []
    findings = []
    for index, source_id in spec_sources(spec):
        data = source_data(ctx, source_id)
        status = data.get("status") if data is not None else None
        if status == "quarantined" and data is not None:
            msg = _quarantined_message(slug, source_id, data)
            findings.append(
                at(ctx, "B.source-quarantined", msg, ctx.spec_path(slug), ("sources", index))
            )
        elif status == "retired":
            msg = (
                f"dataset `{slug}` uses source `{source_id}`, which is retired; remove it from "
                "`sources` or use the source that replaced it"
            )
            findings.append(
                at(ctx, "B.source-retired", msg, ctx.spec_path(slug), ("sources", index))
            )
    return findings


def _quarantined_message(slug: str, source_id: str, data: dict[str, Any]) -> str:
    reason = text(data, "quarantine", "reason_code") or "no reason code given"
    owner = text(data, "quarantine", "remediation", "owner")
    due = text(data, "quarantine", "remediation", "due")
    remedy = f"remediation by @{owner} due {due}" if owner and due else "no remediation recorded"
    return (
        f"dataset `{slug}` uses source `{source_id}`, which is quarantined "
        f"(reason `{reason}`, {remedy}); remove it from `sources` or wait until the quarantine "
        "is lifted"
    )
