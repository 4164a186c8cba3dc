"""Change classes per unit between the base and head snapshots (DESIGN.md section 6)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, cast

from kfm_bot.approvals.classes import dataset_classes, source_classes
from kfm_bot.approvals.units import POLICIES_UNIT, UnitChange, source_unit
from kfm_bot.policy.policyset import PolicySet
from kfm_bot.repo.documents import DocumentStore
from kfm_bot.repo.layout import SPECS_DIR, Kind, classify, source_path, spec_path
from kfm_bot.repo.snapshot import Snapshot, under

if TYPE_CHECKING:
    from kfm_bot.models.json_types import JSONObject

_GOVERNED = (Kind.SOURCE, Kind.SPEC, Kind.DATASET_FILE, Kind.POLICY)
_SPEC_LABEL = ("policy_label",)
_SOURCE_LABEL = ("sensitivity", "policy_label")


class _Side:
    """One snapshot's documents; a missing base reads as an empty tree."""

    def __init__(self, snapshot: Snapshot | None, docs: DocumentStore | None) -> None:
        self.snapshot = snapshot
        self.docs = docs if docs is not None or snapshot is None else DocumentStore(snapshot)

    def present(self, path: str) -> bool:
        return self.snapshot is not None and self.snapshot.entry(path) is not None

    def data(self, path: str) -> JSONObject | None:
        return self.docs.data(path) if self.docs is not None and self.present(path) else None

    def uses(self) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        # Only specs/ can hold a spec: its own trees, not the whole (growing) listing.
        for path in under(self.snapshot, SPECS_DIR + "/") if self.snapshot is not None else ():
            slug = classify(path).dataset_slug
            if slug and path == spec_path(slug):
                names = (self.data(path) or {}).get("sources")
                # Unvalidated: a malformed `sources` is iterated as it always was.
                found[slug] = {
                    s for s in cast("Iterable[object]", names or []) if isinstance(s, str)
                }
        return found


def _differs(base: Snapshot | None, head: Snapshot, path: str) -> bool:
    old = base.entry(path) if base is not None else None
    new = head.entry(path)
    if old is None or new is None or old.mode != new.mode:
        return True
    return old.is_regular and base is not None and base.digest(path) != head.digest(path)


def differing(base: Snapshot | None, head: Snapshot) -> set[str]:
    """Governed paths whose mode or bytes differ: the change set when git's diff is not at hand."""
    paths = set(head.paths()) | set(base.paths() if base is not None else ())
    return {p for p in paths if classify(p).kind in _GOVERNED and _differs(base, head, p)}


def _labels(*docs: Mapping[str, object] | None, key: tuple[str, ...]) -> frozenset[str]:
    found: set[str] = set()
    for doc in docs:
        value: object = doc
        for part in key:
            value = value.get(part) if isinstance(value, dict) else None
        if isinstance(value, str):
            found.add(value)
    return frozenset(found)


def classify_changes(
    base: Snapshot | None,
    head: Snapshot,
    changed: Iterable[str] | None,
    policies: PolicySet,
    base_docs: DocumentStore | None = None,
    head_docs: DocumentStore | None = None,
) -> dict[str, UnitChange]:
    """Units the PR changes, each with its change classes and the labels whose extras apply.

    `changed`: paths the PR touches (both sides of a rename); None compares the snapshots.
    Source changes count for every dataset that uses the source at base or head; a changed
    source no dataset uses is its own unit `source:<id>`; anything under policies/ is `policies`.
    """
    old, new = _Side(base, base_docs), _Side(head, head_docs)
    paths = set(changed) if changed is not None else differing(base, head)
    infos = [classify(p) for p in paths]
    slugs = {i.dataset_slug for i in infos if i.kind in (Kind.SPEC, Kind.DATASET_FILE)}
    sources = {i.source_id for i in infos if i.kind is Kind.SOURCE and i.source_id}
    per_source = {s: _source(s, old, new, policies) for s in sorted(sources)}
    uses = old.uses()
    for slug, names in new.uses().items():
        uses[slug] = uses.get(slug, set()) | names
    units: dict[str, UnitChange] = {}
    for slug in sorted({s for s in slugs if s} | {d for d, n in uses.items() if n & sources}):
        classes = _dataset(slug, old, new, policies) if slug in slugs else set()
        for name in sorted(uses.get(slug, set()) & sources):
            classes |= per_source[name]
        labels = _labels(old.data(spec_path(slug)), new.data(spec_path(slug)), key=_SPEC_LABEL)
        units[slug] = UnitChange(slug, "dataset", frozenset(classes), labels)
    used = set().union(*uses.values()) if uses else set()
    for name in sorted(sources - used):
        path, unit = source_path(name), source_unit(name)
        labels = _labels(old.data(path), new.data(path), key=_SOURCE_LABEL)
        units[unit] = UnitChange(unit, "source", frozenset(per_source[name]), labels)
    if any(i.kind is Kind.POLICY for i in infos):
        units[POLICIES_UNIT] = UnitChange(POLICIES_UNIT, "policies", frozenset({"policy_changed"}))
    return units


def _dataset(slug: str, old: _Side, new: _Side, policies: PolicySet) -> set[str]:
    path = spec_path(slug)
    return dataset_classes(
        old.present(path), new.present(path), old.data(path), new.data(path), policies.label_rank
    )


def _source(source_id: str, old: _Side, new: _Side, policies: PolicySet) -> set[str]:
    path = source_path(source_id)
    return source_classes(
        old.present(path), new.present(path), old.data(path), new.data(path), policies.label_rank
    )
