"""What a change means, in words, per dataset and source (DESIGN.md section 6, issue 11 point 3).

Built on `classify_changes`, so that it cannot disagree with what approvals require: every unit
the approvals engine sees is here, every line names one of that unit's change classes, every
class of the unit has at least one line, and a unit's roles are `requirements_for` the same
change under the same (base) policy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from kfm_bot.approvals.classes import label_move
from kfm_bot.approvals.classify import classify_changes, differing
from kfm_bot.approvals.units import (
    DATASET_REMOVED,
    POLICIES_UNIT,
    SOURCE_PREFIX,
    SOURCE_REMOVED,
    UNCLASSIFIED,
    UnitChange,
    UnitKind,
    requirements_for,
)
from kfm_bot.canonical import spec_hash
from kfm_bot.policy.policyset import PolicySet
from kfm_bot.repo.documents import DocumentStore
from kfm_bot.repo.layout import Kind, classify, source_path, spec_path
from kfm_bot.repo.snapshot import Snapshot

Severity = Literal["high", "medium", "low"]
Doc = Mapping[str, object] | None
MAX_NAMES = 8  # names listed in one line before "… and N more"

# Human words and severity per change class. Severity is how closely a steward should read:
# high = what may be published, to whom, or under which terms changes; medium = new material
# or a tightening; low = a change inside the existing terms.
CLASS_WORDS: dict[str, tuple[str, Severity]] = {
    "new_dataset": ("new dataset", "medium"),
    DATASET_REMOVED: ("dataset removed", "high"),
    "dataset_changed": ("dataset changed", "low"),
    "new_source": ("new source", "medium"),
    SOURCE_REMOVED: ("source removed", "high"),
    "source_changed": ("source changed", "low"),
    "license_changed": ("licence changed", "high"),
    "label_lowered": ("label lowered", "high"),
    "label_raised": ("label raised", "medium"),
    "redaction_changed": ("redaction plan changed", "high"),
    "stewards_changed": ("stewards changed", "high"),
    "quarantine_set": ("quarantine set", "medium"),
    "quarantine_lifted": ("quarantine lifted", "high"),
    "policy_changed": ("policies changed", "high"),
    UNCLASSIFIED: ("change that could not be read", "high"),
}
_ORDER = {"high": 0, "medium": 1, "low": 2}
NO_MEANING = "no change in meaning (spec_hash unchanged)"
# The line for a class every change of an existing unit carries (its own requirement).
_GENERIC = {
    "dataset_changed": "any change to an existing dataset",
    "source_changed": "any change to an existing source",
}


def words(change_class: str) -> tuple[str, Severity]:
    """Human words and severity of a class; an unknown class reads as high (fails closed)."""
    return CLASS_WORDS.get(change_class, (change_class.replace("_", " "), "high"))


@dataclass(frozen=True, slots=True)
class DiffLine:
    change_class: str
    text: str  # plain words; renderers escape
    severity: Severity
    roles: dict[str, int]  # what this class alone needs under the base policy

    @property
    def class_words(self) -> str:
        return words(self.change_class)[0]


@dataclass(frozen=True, slots=True)
class UnitDiff:
    unit: str
    kind: UnitKind
    classes: tuple[str, ...]  # exactly the approvals engine's classes for this unit
    required: dict[str, int]  # exactly what approvals require (classes and label extras)
    lines: tuple[DiffLine, ...]
    meaning_changed: bool

    @property
    def severity(self) -> Severity:
        return min((ln.severity for ln in self.lines), key=_ORDER.__getitem__, default="low")


def _get(doc: Doc, *keys: str) -> object:
    value: object = doc
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _show(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _names(items: Iterable[str]) -> str:
    listed = sorted(items)
    shown = ", ".join(listed[:MAX_NAMES])
    return shown + (f", … and {len(listed) - MAX_NAMES} more" if len(listed) > MAX_NAMES else "")


def _set_moves(what: str, old: object, new: object) -> list[str]:
    before = {str(x) for x in old} if isinstance(old, list) else set()
    after = {str(x) for x in new} if isinstance(new, list) else set()
    out = []
    if after - before:
        out.append(f"{what} added: {_names(after - before)}")
    if before - after:
        out.append(f"{what} removed: {_names(before - after)}")
    return out


def _keyed(
    items: object, key: Callable[[Mapping[str, object]], str]
) -> dict[str, Mapping[str, object]]:
    found: dict[str, Mapping[str, object]] = {}
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            found[key(item)] = item
    return found


def _transform_lines(old: object, new: object) -> list[str]:
    def ident(t: Mapping[str, object]) -> str:
        return str(t.get("id"))

    def pin(t: Mapping[str, object]) -> str:
        ref = t.get("version") if t.get("version") is not None else t.get("digest")
        return f"{_show(t.get('tool'))} {_show(ref)}"

    before, after = _keyed(old, ident), _keyed(new, ident)
    out = _set_moves("transforms", list(before), list(after))
    for name in sorted(set(before) & set(after)):
        a, b = before[name], after[name]
        if pin(a) != pin(b):
            out.append(f"transform {name}: {pin(a)} → {pin(b)}")
        elif a.get("params") != b.get("params"):
            out.append(f"transform {name}: parameters changed")
    return out


def _output_lines(old: object, new: object) -> list[str]:
    def ident(o: Mapping[str, object]) -> str:
        return str(o.get("path") or o.get("uri"))

    before, after = _keyed(old, ident), _keyed(new, ident)
    out = _set_moves("outputs", list(before), list(after))
    for name in sorted(set(before) & set(after)):
        for key in ("media_type", "publish"):
            a, b = before[name].get(key), after[name].get(key)
            if a != b:
                out.append(f"output {name}: {key} {_show(a)} → {_show(b)}")
    return out


def _redaction_line(old: object, new: object) -> str:
    if not isinstance(old, dict):
        return (
            f"redaction plan added ({_show(new.get('method') if isinstance(new, dict) else None)})"
        )
    if not isinstance(new, dict):
        return f"redaction plan removed (was {_show(old.get('method'))})"
    moved = [
        f"{key} {_show(old.get(key))} → {_show(new.get(key))}"
        for key in sorted(set(old) | set(new))
        if key != "description" and old.get(key) != new.get(key)
    ]
    return "redaction plan changed: " + ("; ".join(moved) or "description only")


_SPEC_PLAIN = ("title", "description", "catalog", "receipts", "qa")
_SOURCE_PLAIN = ("title", "description", "publisher", "access", "quarantine")


class _Lines:
    """Collects (class, text) pairs for one unit."""

    def __init__(self, prefix: str = "") -> None:
        self.prefix = prefix
        self.items: list[tuple[str, str]] = []

    def add(self, change_class: str, text: str) -> None:
        self.items.append((change_class, self.prefix + text))


def _spec_lines(old: Doc, new: Doc, rank: Callable[[str | None], int | None], out: _Lines) -> None:
    a, b = _get(old, "license", "spdx"), _get(new, "license", "spdx")
    if a != b:
        out.add("license_changed", f"licence {_show(a)} → {_show(b)}")
    elif _get(old, "license") != _get(new, "license"):
        out.add("dataset_changed", "licence attribution changed")
    a, b = _get(old, "policy_label"), _get(new, "policy_label")
    for cls in sorted(label_move(a, b, rank)):
        out.add(cls, f"label {_show(a)} → {_show(b)} ({cls.split('_')[1]})")
    if _get(old, "redaction") != _get(new, "redaction"):
        out.add(
            "redaction_changed", _redaction_line(_get(old, "redaction"), _get(new, "redaction"))
        )
    for text in _set_moves("sources", _get(old, "sources"), _get(new, "sources")):
        out.add("dataset_changed", text)
    for text in _transform_lines(_get(old, "transforms"), _get(new, "transforms")):
        out.add("dataset_changed", text)
    for text in _output_lines(_get(old, "outputs"), _get(new, "outputs")):
        out.add("dataset_changed", text)
    for key in _SPEC_PLAIN:
        if _get(old, key) != _get(new, key):
            out.add("dataset_changed", f"{key} changed")


def _source_lines(
    old: Doc, new: Doc, rank: Callable[[str | None], int | None], out: _Lines
) -> None:
    a, b = _get(old, "license", "spdx"), _get(new, "license", "spdx")
    if a != b:
        out.add("license_changed", f"licence {_show(a)} → {_show(b)}")
    elif _get(old, "license") != _get(new, "license"):
        out.add("source_changed", "licence details changed")
    label = ("sensitivity", "policy_label")
    a, b = _get(old, *label), _get(new, *label)
    for cls in sorted(label_move(a, b, rank)):
        out.add(cls, f"label {_show(a)} → {_show(b)} ({cls.split('_')[1]})")
    a, b = (
        _get(old, "sensitivity", "sensitive_locations"),
        _get(new, "sensitivity", "sensitive_locations"),
    )
    if a != b:
        cls = "label_raised" if a is False and b is True else "label_lowered"
        out.add(cls, f"sensitive locations {_show(a)} → {_show(b)} ({cls.split('_')[1]})")
    for text in _set_moves("stewards", _get(old, "stewards"), _get(new, "stewards")):
        out.add("stewards_changed", text)
    a, b = _get(old, "status"), _get(new, "status")
    if a != b:
        cls = (
            "quarantine_set"
            if b == "quarantined"
            else "quarantine_lifted"
            if a == "quarantined"
            else "source_changed"
        )
        out.add(cls, f"status {_show(a)} → {_show(b)}")
    for key in _SOURCE_PLAIN:
        if _get(old, key) != _get(new, key):
            out.add("source_changed", f"{key} changed")


class _Sides:
    def __init__(self, base: Snapshot | None, head: Snapshot, changed: set[str]) -> None:
        self.base, self.head, self.changed = base, head, changed
        self.old = DocumentStore(base) if base is not None else None
        self.new = DocumentStore(head)

    def docs(self, path: str) -> tuple[Doc, Doc]:
        old = (
            self.old.data(path)
            if self.old is not None and self.base is not None and self.base.entry(path)
            else None
        )
        new = self.new.data(path) if self.head.entry(path) else None
        return old, new

    def present(self, path: str) -> tuple[bool, bool]:
        return (
            self.base is not None and self.base.entry(path) is not None,
            self.head.entry(path) is not None,
        )


def _same_meaning(old: Doc, new: Doc) -> bool:
    if old is None or new is None:
        return False
    try:
        return spec_hash(old) == spec_hash(new)
    except (TypeError, ValueError):
        return False


def _sources_of(*docs: Doc) -> set[str]:
    found: set[str] = set()
    for doc in docs:
        names = _get(doc, "sources")
        found |= {n for n in names if isinstance(n, str)} if isinstance(names, list) else set()
    return found


def _dataset(slug: str, sides: _Sides, policies: PolicySet, out: _Lines) -> bool:
    """Lines of one dataset (its spec, its files, the changed sources it uses); True when the
    meaning changed."""
    path = spec_path(slug)
    was, now = sides.present(path)
    old, new = sides.docs(path)
    meaning = True
    if path not in sides.changed:
        meaning = False  # listed for a source it uses, or for its other files
    elif not was and now:
        out.add("new_dataset", f"new dataset ({_show(_get(new, 'title'))})")
    elif was and not now:
        out.add(DATASET_REMOVED, "dataset removed")
    elif old is None or new is None:
        out.add(UNCLASSIFIED, "the spec could not be read at base or head")
    elif _same_meaning(old, new):
        meaning = False
    else:
        _spec_lines(old, new, policies.label_rank, out)
    files = sorted(
        p
        for p in sides.changed
        if classify(p).kind is Kind.DATASET_FILE and classify(p).dataset_slug == slug
    )
    if files and was and now:
        out.add("dataset_changed", f"files changed: {_names(files)}")
        meaning = True
    for name in sorted(_sources_of(old, new)):
        if source_path(name) in sides.changed:
            sub = _Lines(f"source {name}: ")
            meaning = _source(name, sides, policies, sub) or meaning
            out.items.extend(sub.items)
    return meaning


def _source(name: str, sides: _Sides, policies: PolicySet, out: _Lines) -> bool:
    path = source_path(name)
    was, now = sides.present(path)
    old, new = sides.docs(path)
    if not was and now:
        out.add("new_source", "new source")
    elif was and not now:
        out.add(SOURCE_REMOVED, "source removed")
    elif old is None or new is None:
        out.add(UNCLASSIFIED, "the entry could not be read at base or head")
    elif _same_meaning(old, new):
        return False
    else:
        _source_lines(old, new, policies.label_rank, out)
    return True


def _unit_diff(change: UnitChange, sides: _Sides, policies: PolicySet) -> UnitDiff:
    out = _Lines()
    if change.kind == "policies":
        paths = sorted(p for p in sides.changed if classify(p).kind is Kind.POLICY)
        out.add("policy_changed", f"policy files changed: {_names(paths)}")
        meaning = True
    elif change.kind == "source":
        meaning = _source(change.unit[len(SOURCE_PREFIX) :], sides, policies, out)
    else:
        meaning = _dataset(change.unit, sides, policies, out)
    seen = {cls for cls, _ in out.items}
    # Every class the engine found gets a line, so the diff never hides a requirement.
    for cls in sorted(set(change.classes) - seen):
        out.add(cls, NO_MEANING if not meaning else _GENERIC.get(cls, words(cls)[0]))
    approvals = policies.approvals
    lines = []
    for cls, text in out.items:
        alone = UnitChange(change.unit, change.kind, frozenset({cls}))
        roles = requirements_for(alone, approvals) if approvals else {}
        lines.append(DiffLine(cls, text, words(cls)[1], roles))
    lines.sort(key=lambda ln: _ORDER[ln.severity])
    required = requirements_for(change, approvals) if approvals else {"*": 1}
    classes = tuple(sorted(change.classes))
    return UnitDiff(change.unit, change.kind, classes, required, tuple(lines), meaning)


def semantic_diff(
    base: Snapshot | None,
    head: Snapshot,
    changed: Iterable[str] | None,
    policies: PolicySet,
    units: Mapping[str, UnitChange] | None = None,
) -> tuple[UnitDiff, ...]:
    """One entry per approval unit, in the order the approvals check lists them.

    `policies`: the base commit's (the roles shown are those the base requires); `changed`: the
    paths the change touches, None to compare the snapshots.
    """
    units = classify_changes(base, head, changed, policies)
    paths = set(changed) if changed is not None else differing(base, head)
    sides = _Sides(base, head, paths)
    return tuple(_unit_diff(units[name], sides, policies) for name in sorted(units))


__all__ = ["CLASS_WORDS", "NO_MEANING", "POLICIES_UNIT", "DiffLine", "UnitDiff", "semantic_diff"]
