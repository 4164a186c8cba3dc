"""Units of approval (datasets, lone sources, policies) and the requirements their changes carry."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from kfm_bot.models.policies import ApprovalsPolicy, Requirement

UnitKind = Literal["dataset", "source", "policies"]
POLICIES_UNIT = "policies"
SOURCE_PREFIX = "source:"
# Classes outside ChangeClass fall to `default` in approvals.yaml: unknown fails closed.
DATASET_REMOVED = "dataset_removed"
SOURCE_REMOVED = "source_removed"
UNCLASSIFIED = "unclassified"


@dataclass(frozen=True, slots=True)
class UnitChange:
    """What a PR changes in one unit.

    `classes`: change classes (kfm_bot.models.policies.ChangeClass, or one of the fail-closed
    extras above); `labels`: the policy labels whose extra requirements apply (the label at base
    and at head, so moving between labels needs both).
    """

    unit: str
    kind: UnitKind
    classes: frozenset[str]
    labels: frozenset[str] = frozenset()


def source_unit(source_id: str) -> str:
    return SOURCE_PREFIX + source_id


def unit_kind(unit: str) -> UnitKind:
    if unit == POLICIES_UNIT:
        return "policies"
    return "source" if unit.startswith(SOURCE_PREFIX) else "dataset"


def merge(requirements: Iterable[dict[str, int]]) -> dict[str, int]:
    """The strictest of several requirements: per role, the highest count of people."""
    merged: dict[str, int] = {}
    for requirement in requirements:
        for role, count in requirement.items():
            merged[role] = max(merged.get(role, 0), count)
    return dict(sorted(merged.items()))


def _roles(requirement: Requirement) -> dict[str, int]:
    return {str(role): count for role, count in requirement.roles.items()}


def requirements_for(change: UnitChange, policy: ApprovalsPolicy) -> dict[str, int]:
    """Roles and counts of distinct people a unit needs: its classes, then its labels' extras."""
    found = [_roles(policy.for_class(c)) for c in sorted(change.classes)]
    extras = {str(label): req for label, req in policy.labels.items()}
    found += [_roles(extras[label]) for label in sorted(change.labels) if label in extras]
    return merge(found or [_roles(policy.default)])
