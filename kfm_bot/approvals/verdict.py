"""Per-unit verdict: content-bound candidates, role slots filled by distinct people, conclusion."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from kfm_bot.approvals.grants import Grant, ignored_for
from kfm_bot.approvals.matching import assign, missing
from kfm_bot.approvals.result import Conclusion, Ignored, UnitResult, UsedApproval
from kfm_bot.approvals.state import Hold
from kfm_bot.approvals.units import UnitChange, requirements_for
from kfm_bot.findings import Finding
from kfm_bot.models.policies import ApprovalsPolicy

UNAVAILABLE = "*"  # the role shown when requirements cannot be known: never satisfiable


def _candidates(
    unit: str, grants: Sequence[Grant], head_digest: str | None, ignored: list[Ignored]
) -> dict[int, Grant]:
    """The latest content-matching grant per person for this unit."""
    found: dict[int, Grant] = {}
    for grant in grants:
        if grant.scope is not None and unit not in grant.scope:
            ignored.append(ignored_for(grant.post, "narrowed", unit))
        elif head_digest is None or grant.digests.get(unit) != head_digest:
            ignored.append(ignored_for(grant.post, "stale", unit))
        else:
            found[grant.steward.id] = grant
    return found


def unit_result(
    change: UnitChange,
    policy: ApprovalsPolicy | None,
    grants: Sequence[Grant],
    head_digest: str | None,
    ignored: list[Ignored],
    scarcity: Mapping[str, int] | None = None,
) -> UnitResult:
    required = requirements_for(change, policy) if policy else {UNAVAILABLE: 1}
    found = _candidates(change.unit, grants, head_digest, ignored)
    people: list[tuple[int, frozenset[str]]] = []
    for person, grant in sorted(found.items()):
        roles = frozenset(grant.steward.roles) & set(required)
        if not roles:
            ignored.append(ignored_for(grant.post, "no-needed-role", change.unit))
        people.append((person, roles))
    filled = assign(required, people, scarcity)
    used = tuple(
        UsedApproval(
            unit=change.unit,
            role=role,
            user_id=person,
            login=found[person].login,
            approved_at=found[person].post.stamp,
            review_id=found[person].review_id,
        )
        for person, role in sorted(filled.items(), key=lambda kv: (kv[1], kv[0]))
    )
    classes = tuple(sorted(change.classes))
    return UnitResult(change.unit, change.kind, classes, required, used, missing(required, filled))


def conclusion(
    units: Sequence[UnitResult], holds: Sequence[Hold], flags: Sequence[Finding]
) -> Conclusion:
    if holds or any(f.is_error for f in flags):
        return "failure"
    if any(not u.satisfied for u in units):
        return "action_required"
    return "success"
