"""Gate C: the redaction plan is recorded in PROV, with the parameters the plan sets.

PROV says what the run did; the spec's plan says what stewards approved. A run that
rounded to 4 places, suppressed cells below 1 site instead of 3, counted another property
or kept a property the plan drops must not pass behind a plan that promises otherwise: every
parameter must agree, in value and in type (`suppress_properties` as a set of names).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from kfm_bot.findings import Finding
from kfm_bot.gates.engine.context import GateContext
from kfm_bot.gates.engine.reading import dataset_dir, get, located, shown, text
from kfm_bot.repo.layout import resolve_relative

REDACTION_ROLES = frozenset({"redaction", "generalization", "generalisation"})
# Plan key in `redaction` -> PROV attribute of the redaction activity.
PARAMETERS = {
    "method": "kfm:method",
    "precision_decimals": "kfm:precision_decimals",
    "grid_m": "kfm:grid_m",
    "min_cell_count": "kfm:min_cell_count",  # the suppression threshold
    # Which property holds the count, and which properties are dropped: an export applies
    # both (kfm_bot/export/generalise.py), so the run must have used the same ones.
    "count_property": "kfm:count_property",
    "suppress_properties": "kfm:suppress_properties",
}
MISMATCH = "C.redaction-prov-mismatch"


def check_recorded(ctx: GateContext, slug: str, spec: Mapping[str, object]) -> list[Finding]:
    ref = text(spec, "catalog", "prov")
    prov_path = resolve_relative(dataset_dir(slug), ref) if ref else None
    prov = ctx.docs.data(prov_path) if prov_path else None
    if prov_path is None or prov is None:
        msg = (
            f"the redaction plan of `{slug}` must be recorded in PROV, but the PROV file "
            f"`{ref}` cannot be read; fix `catalog.prov` (see gate D)"
        )
        return [
            located(ctx, "C.redaction-not-in-prov", msg, ctx.spec_path(slug), ("catalog", "prov"))
        ]
    activities = prov.get("activity")
    recorded = {
        key: act
        for key, act in (activities.items() if isinstance(activities, dict) else [])
        if isinstance(act, dict) and act.get("kfm:role") in REDACTION_ROLES
    }
    if not recorded:
        msg = (
            f"the redaction plan of `{slug}` is not recorded in PROV; add an activity with "
            '"kfm:role": "redaction" that generated the redacted outputs'
        )
        return [located(ctx, "C.redaction-not-in-prov", msg, prov_path, ("activity",))]
    plan = get(spec, "redaction")
    plan = plan if isinstance(plan, dict) else {}
    findings: list[Finding] = []
    for key, activity in sorted(recorded.items()):
        findings += _agree(ctx, prov_path, key, activity, plan)
    return findings


def _json(value: object) -> str:
    return shown(json.dumps(value, ensure_ascii=False))


def _same(recorded: object, planned: object) -> bool:
    if isinstance(recorded, list) and isinstance(planned, list):
        # A set of property names: the order they are written in does not matter.
        return _names(recorded) is not None and _names(recorded) == _names(planned)
    return type(recorded) is type(planned) and recorded == planned  # True is not 1, "3" is not 3


def _names(value: list[object]) -> list[str] | None:
    if not all(isinstance(v, str) for v in value):
        return None
    return sorted(str(v) for v in value)


def _agree(
    ctx: GateContext, path: str, key: str, activity: Mapping[str, object], plan: dict[str, Any]
) -> list[Finding]:
    findings = []
    name = shown(key)
    for field, attribute in PARAMETERS.items():
        planned = plan.get(field)
        planned = None if planned == [] else planned  # no property dropped: nothing to record
        if attribute not in activity:
            if planned is not None:
                msg = (
                    f"PROV activity `{name}` does not record `{attribute}`; the plan sets "
                    f"{_json(planned)} (`redaction.{field}` in spec.yaml): add "
                    f'"{attribute}": {_json(planned)} with the value the run used'
                )
                findings.append(located(ctx, MISMATCH, msg, path, ("activity", key)))
            continue
        value = activity[attribute]
        if planned is None:
            msg = (
                f"PROV activity `{name}` records `{attribute}` = {_json(value)}, but the plan "
                f"sets no `redaction.{field}`; add it to the plan in spec.yaml, or remove it here"
            )
        elif not _same(value, planned):
            msg = (
                f"PROV activity `{name}` records `{attribute}` = {_json(value)}, but the plan "
                f"sets {_json(planned)} (`redaction.{field}` in spec.yaml); the recorded run "
                "must follow the approved plan"
            )
        else:
            continue
        findings.append(located(ctx, MISMATCH, msg, path, ("activity", key, attribute)))
    return findings
