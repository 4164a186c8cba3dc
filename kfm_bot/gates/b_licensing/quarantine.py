"""Gate B, quarantine: a well-formed quarantine, and the datasets it blocks (or a retired source).

A quarantine is protective: the datasets that use the source are *blocked* (a warning here, a
status in the report, a refusal in promotion and export), never a gate failure, so the PR that
sets it is mergeable and `check --all` stays green on main. What must be right is the
quarantine itself: a reason code from `policies/quarantine.yaml`, a remediation owner on the
steward roster, and a due date not overdue beyond the policy's grace period.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from kfm_bot.findings import Finding, Severity
from kfm_bot.gates.engine.context import GateContext
from kfm_bot.gates.engine.reading import (
    indexed_sources,
    located,
    shown,
    source_data,
    spec_data,
    text,
)

RULES: dict[str, str] = {
    "B.source-quarantined": "a dataset uses a quarantined source: it is blocked (promotion and "
    "export refuse it) until the quarantine is lifted or the source is removed from `sources`",
    "B.quarantine-incomplete": "a quarantined source needs `quarantine.reason_code` and "
    "`quarantine.remediation` with `owner` and `due`; add them",
    "B.quarantine-reason-unknown": "a quarantine's reason code is not in the closed list of "
    "policies/quarantine.yaml; use a listed code or add it there in a separate PR",
    "B.quarantine-owner-not-steward": "a quarantine's remediation owner is not a steward on "
    "policies/stewards.yaml; name a steward",
    "B.quarantine-overdue": "a quarantine's remediation is past its due date; fix the source and "
    "lift the quarantine, or set a new due date (an error after the policy's grace period)",
    "B.quarantine-grace-expired": "a quarantine's remediation is overdue beyond the grace period "
    "of policies/quarantine.yaml; lift the quarantine or set a new due date",
    "B.source-retired": "a dataset uses a retired source; remove it from `sources` or use the "
    "source that replaced it",
}
REMEDIATION = ("quarantine", "remediation")


def utc_today() -> datetime.date:
    return datetime.datetime.now(datetime.UTC).date()


def run(ctx: GateContext) -> list[Finding]:
    findings: list[Finding] = []
    for source_id in ctx.in_scope_sources():
        data = source_data(ctx, source_id)
        if data is not None and data.get("status") == "quarantined":
            findings += _incomplete(ctx, source_id, data)
            findings += _reason(ctx, source_id, data)
            findings += _owner(ctx, source_id, data)
            findings += _overdue(ctx, source_id, data)
    for slug in ctx.in_scope_datasets():
        findings += _blocked(ctx, slug)
    return findings


def _incomplete(ctx: GateContext, source_id: str, data: Mapping[str, object]) -> list[Finding]:
    path = ctx.source_path(source_id)
    missing = [
        name
        for name, value in (
            ("reason_code", text(data, "quarantine", "reason_code")),
            ("remediation.owner", text(data, *REMEDIATION, "owner")),
            ("remediation.due", text(data, *REMEDIATION, "due")),
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
    return [located(ctx, "B.quarantine-incomplete", msg, path, pointer)]


def _reason(ctx: GateContext, source_id: str, data: Mapping[str, object]) -> list[Finding]:
    code = text(data, "quarantine", "reason_code")
    policy = getattr(ctx.policies, "quarantine", None)
    if not code or (policy is not None and code in policy.reason_codes):
        return []
    known = ", ".join(sorted(policy.reason_codes)) if policy is not None else "none (missing)"
    msg = (
        f"source `{source_id}` gives reason code `{shown(code)}`, which policies/quarantine.yaml "
        f"does not list (known: {known}); use one of them"
    )
    path = ctx.source_path(source_id)
    return [located(ctx, "B.quarantine-reason-unknown", msg, path, ("quarantine", "reason_code"))]


def _owner(ctx: GateContext, source_id: str, data: Mapping[str, object]) -> list[Finding]:
    owner = text(data, *REMEDIATION, "owner")
    roster = getattr(ctx.policies, "stewards", None)
    logins = {s.login.lower() for s in roster.stewards} if roster is not None else set()
    if not owner or owner.lower() in logins:
        return []
    msg = (
        f"source `{source_id}` names remediation owner `{shown(owner)}`, who is not a steward on "
        "policies/stewards.yaml; name a steward who will see the quarantine through"
    )
    pointer = (*REMEDIATION, "owner")
    return [
        located(ctx, "B.quarantine-owner-not-steward", msg, ctx.source_path(source_id), pointer)
    ]


def _overdue(ctx: GateContext, source_id: str, data: Mapping[str, object]) -> list[Finding]:
    due_text = text(data, *REMEDIATION, "due")
    try:
        due = datetime.date.fromisoformat(due_text or "")
    except ValueError:
        return []  # missing or malformed: B.quarantine-incomplete or F.schema says so
    today = ctx.today or utc_today()
    late = (today - due).days
    if late <= 0:
        return []
    policy = getattr(ctx.policies, "quarantine", None)
    grace = policy.grace_days if policy is not None else 0  # no policy: no grace (fail closed)
    path, pointer = ctx.source_path(source_id), (*REMEDIATION, "due")
    if late > grace:
        msg = (
            f"source `{source_id}`'s remediation was due {due_text}, {late} days ago, beyond the "
            f"{grace}-day grace period; lift the quarantine or set a new due date"
        )
        return [located(ctx, "B.quarantine-grace-expired", msg, path, pointer)]
    msg = (
        f"source `{source_id}`'s remediation was due {due_text}, {late} days ago; it becomes an "
        f"error after {grace} days: lift the quarantine or set a new due date"
    )
    return [_warning(located(ctx, "B.quarantine-overdue", msg, path, pointer))]


def _blocked(ctx: GateContext, slug: str) -> list[Finding]:
    spec = spec_data(ctx, slug)
    if spec is None:
        return []
    findings = []
    for index, source_id in indexed_sources(spec):
        data = source_data(ctx, source_id)
        status = data.get("status") if data is not None else None
        pointer = ("sources", index)
        if status == "quarantined" and data is not None:
            msg = _quarantined_message(slug, source_id, data)
            found = located(ctx, "B.source-quarantined", msg, ctx.spec_path(slug), pointer)
            findings.append(_warning(found))
        elif status == "retired":
            msg = (
                f"dataset `{slug}` uses source `{source_id}`, which is retired; remove it from "
                "`sources` or use the source that replaced it"
            )
            findings.append(located(ctx, "B.source-retired", msg, ctx.spec_path(slug), pointer))
    return findings


def _warning(finding: Finding) -> Finding:
    return finding.replace(severity=Severity.WARNING)


def _quarantined_message(slug: str, source_id: str, data: Mapping[str, object]) -> str:
    reason = text(data, "quarantine", "reason_code") or "no reason code given"
    owner = text(data, *REMEDIATION, "owner")
    due = text(data, *REMEDIATION, "due")
    remedy = "no remediation recorded"
    if owner and due:
        remedy = f"remediation by @{shown(owner)} due {shown(due)}"
    return (
        f"dataset `{slug}` is blocked: it uses source `{source_id}`, which is quarantined "
        f"(reason `{shown(reason)}`, {remedy}); promotion and export refuse it until the "
        "quarantine is lifted or the source is removed from `sources`"
    )
