"""The change classes of one dataset spec or one source entry, from its base and head documents."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from kfm_bot.approvals.units import DATASET_REMOVED, SOURCE_REMOVED, UNCLASSIFIED

Rank = Callable[[str | None], int | None]
Doc = Mapping[str, object] | None


def _get(doc: Doc, *keys: str) -> object:
    value: object = doc
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def label_move(old: object, new: object, rank: Rank) -> set[str]:
    """label_raised or label_lowered; a label the base policy cannot rank counts as lowered."""
    if old == new:
        return set()
    before = rank(old) if isinstance(old, str) else None
    after = rank(new) if isinstance(new, str) else None
    if before is None or after is None or after <= before:
        return {"label_lowered"}
    return {"label_raised"}


def _presence(old_present: bool, new_present: bool, added: str, removed: str) -> set[str] | None:
    if not old_present and new_present:
        return {added}
    if old_present and not new_present:
        return {removed}
    return None


def dataset_classes(
    old_present: bool, new_present: bool, old: Doc, new: Doc, rank: Rank
) -> set[str]:
    """Classes of a dataset whose files changed: new, removed, or what its spec changes mean."""
    found = _presence(old_present, new_present, "new_dataset", DATASET_REMOVED)
    if found is not None:
        return found
    if old_present and (old is None or new is None):
        return {"dataset_changed", UNCLASSIFIED}
    classes = {"dataset_changed"}
    if _get(old, "license", "spdx") != _get(new, "license", "spdx"):
        classes.add("license_changed")
    classes |= label_move(_get(old, "policy_label"), _get(new, "policy_label"), rank)
    if _get(old, "redaction") != _get(new, "redaction"):
        classes.add("redaction_changed")
    return classes


def _sensitive_move(old: object, new: object) -> set[str]:
    if old == new:
        return set()
    return {"label_raised"} if old is False and new is True else {"label_lowered"}


def _quarantine(old: object, new: object) -> set[str]:
    if old != "quarantined" and new == "quarantined":
        return {"quarantine_set"}
    if old == "quarantined" and new != "quarantined":
        return {"quarantine_lifted"}
    return set()


def _stewards(doc: Doc) -> list[str]:
    names = _get(doc, "stewards")
    return sorted(str(n).lower() for n in names) if isinstance(names, list) else []


def source_classes(
    old_present: bool, new_present: bool, old: Doc, new: Doc, rank: Rank
) -> set[str]:
    """Classes of a changed source entry: new, removed, licence, sensitivity, stewards, status."""
    found = _presence(old_present, new_present, "new_source", SOURCE_REMOVED)
    if found is not None:
        return found
    if old_present and (old is None or new is None):
        return {"source_changed", UNCLASSIFIED}
    classes = {"source_changed"}
    if _get(old, "license", "spdx") != _get(new, "license", "spdx"):
        classes.add("license_changed")
    label = ("sensitivity", "policy_label")
    classes |= label_move(_get(old, *label), _get(new, *label), rank)
    sensitive = ("sensitivity", "sensitive_locations")
    classes |= _sensitive_move(_get(old, *sensitive), _get(new, *sensitive))
    if _stewards(old) != _stewards(new):
        classes.add("stewards_changed")
    return classes | _quarantine(_get(old, "status"), _get(new, "status"))
