"""Gate C, sensitivity and redaction: known labels, no downgrade, a recorded plan, safe fixtures."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kfm_bot.findings import Finding
from kfm_bot.gates.c_sensitivity.fixtures import check_fixtures, fixture_limit
from kfm_bot.gates.c_sensitivity.redaction_prov import check_recorded
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
    "C.label-missing": "a source or spec has no policy label; set `policy_label` to a label "
    "from policies/labels.yaml",
    "C.label-unknown": "a policy label is not defined in policies/labels.yaml; use public, "
    "internal or restricted (or another label the policy defines)",
    "C.label-downgrade": "a dataset is less restricted than its most restricted source; raise "
    "the dataset's `policy_label` to at least that source's label",
    "C.redaction-missing": "restricted data, or data from a source with sensitive locations, "
    "needs a `redaction` plan in the spec; add one (method, precision_decimals, description)",
    "C.redaction-not-in-prov": "the redaction plan is not recorded in PROV; add an activity "
    'with "kfm:role": "redaction" to the PROV file',
    "C.redaction-prov-mismatch": "a parameter of the PROV redaction activity (method, "
    "precision_decimals, grid_m, min_cell_count, count_property, suppress_properties) is "
    "missing or differs from the spec's plan; "
    "record what the run did, and make the plan and the run agree",
    "C.fixture-precision": "a fixture carries coordinates more precise than the redaction plan "
    "or label allows (JSON/GeoJSON keys, positions, CSV/TSV columns or WKT); round them",
    "C.fixture-uninspectable": "a fixture of restricted or sensitive-location data is in a "
    "format the bot cannot inspect (binary, unknown extension, not UTF-8, malformed, too "
    "large); convert it to GeoJSON, JSON, CSV, TSV or WKT text",
}


@dataclass(frozen=True)
class Labels:
    """Label ranks and rules from the base policy; empty when it is unavailable (fail closed)."""

    rules: dict[str, Any]  # label -> LabelRule; keyed by str so that any text can be looked up

    @classmethod
    def of(cls, ctx: GateContext) -> Labels:
        model = getattr(ctx.policies, "labels", None)
        return cls(dict(model.labels) if model is not None else {})

    def rank(self, label: str) -> int:
        return int(self.rules[label].rank)


def run(ctx: GateContext) -> list[Finding]:
    labels = Labels.of(ctx)
    findings: list[Finding] = []
    for source_id in ctx.in_scope_sources():
        data = source_data(ctx, source_id)
        if data is not None:
            pointer = ("sensitivity", "policy_label")
            findings += _label(ctx, labels, ctx.source_path(source_id), data, pointer)
    for slug in ctx.in_scope_datasets():
        findings += check_dataset(ctx, labels, slug)
    return findings


def _label(
    ctx: GateContext,
    labels: Labels,
    path: str,
    data: Mapping[str, object],
    pointer: tuple[str, ...],
) -> list[Finding]:
    label = get(data, *pointer)
    name = ".".join(pointer)
    if not isinstance(label, str) or not label:
        msg = f"`{name}` is missing; set it to one of: {', '.join(labels.rules) or 'public'}"
        return [located(ctx, "C.label-missing", msg, path, pointer[:-1])]
    if label not in labels.rules:
        known = ", ".join(labels.rules) or "none (policies/labels.yaml is unavailable at base)"
        given = shown(label)
        msg = f"`{name}` is `{given}`, which policies/labels.yaml does not define (known: {known})"
        return [located(ctx, "C.label-unknown", msg, path, pointer)]
    return []


def check_dataset(ctx: GateContext, labels: Labels, slug: str) -> list[Finding]:
    spec = spec_data(ctx, slug)
    if spec is None:
        return []
    path = ctx.spec_path(slug)
    findings = _label(ctx, labels, path, spec, ("policy_label",))
    label = text(spec, "policy_label")
    sources = {sid: source_data(ctx, sid) or {} for _, sid in indexed_sources(spec)}
    if label in labels.rules:
        findings += _downgrade(ctx, labels, path, label or "", sources)
    sensitive = sorted(
        sid
        for sid, src in sources.items()
        if get(src, "sensitivity", "sensitive_locations") is True
    )
    required = sensitive or (label in labels.rules and labels.rules[label or ""].requires_redaction)
    if required:
        findings += _plan(ctx, slug, spec, label or "", sensitive)
    if sensitive or required:
        findings += check_fixtures(ctx, slug, fixture_limit(labels.rules, label, spec))
    return findings


def _downgrade(
    ctx: GateContext, labels: Labels, path: str, label: str, sources: dict[str, dict[str, Any]]
) -> list[Finding]:
    ranked = [
        (labels.rank(src_label), sid, src_label)
        for sid, src in sources.items()
        if (src_label := text(src, "sensitivity", "policy_label")) in labels.rules
    ]
    if not ranked or max(ranked)[0] <= labels.rank(label):
        return []
    _, sid, src_label = max(ranked)
    msg = (
        f"dataset label `{label}` is less restricted than source `{sid}` (`{src_label}`); "
        f"set `policy_label: {src_label}` or higher"
    )
    return [located(ctx, "C.label-downgrade", msg, path, ("policy_label",))]


def _plan(
    ctx: GateContext, slug: str, spec: Mapping[str, object], label: str, sensitive: list[str]
) -> list[Finding]:
    why = (
        f"source(s) {', '.join(sensitive)} have sensitive locations"
        if sensitive
        else f"it is `{label}`"
    )
    if get(spec, "redaction", "method") in (None, "none"):
        msg = (
            f"dataset `{slug}` needs a redaction plan because {why}; add `redaction` with a "
            "method (generalize, suppress or aggregate), precision_decimals and a description"
        )
        pointer = ("redaction",) if "redaction" in spec else ("policy_label",)
        return [located(ctx, "C.redaction-missing", msg, ctx.spec_path(slug), pointer)]
    return check_recorded(ctx, slug, spec)
