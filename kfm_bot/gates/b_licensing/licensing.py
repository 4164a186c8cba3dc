"""Gate B, licensing and rights: valid SPDX, allowed for the label, rights named, compatible."""

from __future__ import annotations

from collections.abc import Mapping

from kfm_bot.findings import Finding
from kfm_bot.gates.b_licensing import spdx
from kfm_bot.gates.b_licensing.allowlist import Policy
from kfm_bot.gates.engine.context import GateContext
from kfm_bot.gates.engine.reading import (
    get,
    indexed_sources,
    located,
    shown,
    source_data,
    spec_data,
    text,
)

RULES: dict[str, str] = {
    "B.spdx-invalid": "a licence is not a valid SPDX expression; use ids from spdx.org/licenses "
    "joined with AND/OR/WITH, or a LicenseRef- named in policies/licenses.yaml",
    "B.license-unclear": "a source's licence is unknown (NOASSERTION, NONE or an unlisted "
    "LicenseRef); quarantine the source with a reason_code, or record its real licence",
    "B.license-not-allowed": "a licence is not allowed for its policy label by "
    "policies/licenses.yaml; choose an allowed licence or the right label",
    "B.rights-missing": "a source needs license.rights_holder and license.attribution; copy them "
    "from the publisher's terms",
    "B.license-incompatible": "the dataset's licence is not a permitted derivation of a source's "
    "licence (policies/licenses.yaml compatibility); relicense the dataset or drop the source",
}
LICENSE = ("license", "spdx")
UNAVAILABLE = (
    "policies/licenses.yaml is missing or invalid at the base commit, so no licence is allowed"
)
FIX_SPDX = "use ids from spdx.org/licenses, or a LicenseRef- named in policies/licenses.yaml"


def run(ctx: GateContext) -> list[Finding]:
    policy = Policy(ctx)
    findings: list[Finding] = []
    for source_id in ctx.in_scope_sources():
        findings += check_source(ctx, policy, source_id)
    for slug in ctx.in_scope_datasets():
        findings += check_dataset(ctx, policy, slug)
    return findings


def check_source(ctx: GateContext, policy: Policy, source_id: str) -> list[Finding]:
    path, data = ctx.source_path(source_id), source_data(ctx, source_id)
    if data is None:
        return []  # a missing or unreadable source is gate A's finding
    findings = _rights(ctx, path, data)
    value = text(data, *LICENSE)
    if value is None:
        return findings
    rule, detail, _ = policy.classify(value)
    if rule == "B.license-unclear" and data.get("status") != "quarantined":
        fix = (
            "set `status: quarantined` with a `quarantine.reason_code` (e.g. license-unclear) "
            "and a remediation owner and due date, or record the real licence"
        )
        findings.append(
            located(ctx, rule, f"source licence `{shown(value)}` {detail}; {fix}", path, LICENSE)
        )
    elif rule == "B.spdx-invalid":
        findings.append(
            located(
                ctx, rule, f"source licence `{shown(value)}` {detail}; {FIX_SPDX}", path, LICENSE
            )
        )
    elif rule is None:
        label = text(data, "sensitivity", "policy_label")
        ok = policy.choosable_for(value, label)
        findings += _allowed(ctx, policy, path, label, value, ok, "source licence")
    return findings


def _rights(ctx: GateContext, path: str, data: Mapping[str, object]) -> list[Finding]:
    out = []
    for key in ("rights_holder", "attribution"):
        value = get(data, "license", key)
        if not isinstance(value, str) or not value.strip():
            ptr = ("license", key) if isinstance(value, str) else ("license",)
            msg = f"license.{key} is missing or empty; copy it from the publisher's terms of use"
            out.append(located(ctx, "B.rights-missing", msg, path, ptr))
    return out


def _allowed(
    ctx: GateContext, policy: Policy, path: str, label: str | None, value: str, ok: bool, what: str
) -> list[Finding]:
    if not policy.available:
        return [
            located(
                ctx,
                "B.license-not-allowed",
                f"{what} `{shown(value)}` cannot be checked: {UNAVAILABLE}",
                path,
                LICENSE,
            )
        ]
    if ok or label is None or label not in policy.labels:
        return []  # an unknown or missing label is gate C's finding
    allowed = ", ".join(sorted(policy.allowed.get(label, set()))) or "none"
    msg = (
        f"{what} `{shown(value)}` is not allowed for label `{label}` (allowed: {allowed}); "
        "choose an allowed licence or the right label"
    )
    return [located(ctx, "B.license-not-allowed", msg, path, LICENSE)]


def check_dataset(ctx: GateContext, policy: Policy, slug: str) -> list[Finding]:
    path, spec = ctx.spec_path(slug), spec_data(ctx, slug)
    value = text(spec, *LICENSE)
    if spec is None or value is None:
        return []
    rule, detail, parsed = policy.classify(value)
    if rule is not None:
        fix = (
            FIX_SPDX
            if rule == "B.spdx-invalid"
            else "state the licence the dataset is published under"
        )
        return [
            located(ctx, rule, f"dataset licence `{shown(value)}` {detail}; {fix}", path, LICENSE)
        ]
    label = text(spec, "policy_label")
    bad = spdx.promised(parsed, lambda key: key in policy.allowed.get(label or "", set()))
    findings = _allowed(ctx, policy, path, label, value, not bad, "dataset licence")
    for _, source_id in indexed_sources(spec):
        findings += _compatible(ctx, policy, path, value, parsed, source_id)
    return findings


def _compatible(
    ctx: GateContext, policy: Policy, path: str, value: str, parsed: spdx.Parsed, source_id: str
) -> list[Finding]:
    source_value = text(source_data(ctx, source_id), *LICENSE)
    if source_value is None:
        return []
    rule, _, source = policy.classify(source_value)
    if rule is not None:
        return []  # reported on the source itself, or it is quarantined

    def derives(key: str) -> bool:
        return all(leaf in policy.compat.get(key, set()) for leaf in parsed.leaves)

    if spdx.choosable(source, derives):
        return []
    options = policy.compat.get(source.leaves[0], set()) if len(source.leaves) == 1 else set()
    hint = f" (it allows: {', '.join(sorted(options))})" if options else ""
    msg = (
        f"dataset licence `{shown(value)}` is not a permitted derivation of source `{source_id}`'s "
        f"licence `{shown(source_value)}`{hint}; relicense the dataset or drop the source"
    )
    return [located(ctx, "B.license-incompatible", msg, path, LICENSE)]
