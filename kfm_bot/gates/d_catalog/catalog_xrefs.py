"""Gate D's identifiers: the sources DCAT and PROV name, and the records PROV relations name.

- DCAT `dct:source` entries are `kfm://source/<source_id>` references (a string, a list, or
  JSON-LD `{"@id": ...}` nodes); PROV entities may carry `kfm:source_id`. Each must name a
  source in `registry/sources/` that the spec lists in `sources`: a catalog that credits a
  source that does not exist, or one the dataset does not use, misstates its provenance.
- Every identifier a PROV relation (`used`, `wasGeneratedBy`, ...) names must be defined in
  the document's `entity`, `activity` or `agent` section: a dangling `used` entity says the
  run read something the record never describes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from kfm_bot.findings import Finding
from kfm_bot.gates.engine.context import GateContext
from kfm_bot.gates.engine.reading import Pointer, indexed_sources, located, shown
from kfm_bot.repo.layout import SOURCE_ID_RE

SOURCE_URI = "kfm://source/"
DEFINING = ("entity", "activity", "agent")  # the PROV sections that define records
# PROV-JSON relations: the keys that name a record, and the section that must define it.
RELATIONS: dict[str, dict[str, str]] = {
    "used": {"prov:activity": "activity", "prov:entity": "entity"},
    "wasGeneratedBy": {"prov:entity": "entity", "prov:activity": "activity"},
    "wasDerivedFrom": {"prov:generatedEntity": "entity", "prov:usedEntity": "entity"},
    "wasAssociatedWith": {"prov:activity": "activity", "prov:agent": "agent"},
    "wasAttributedTo": {"prov:entity": "entity", "prov:agent": "agent"},
    "wasInformedBy": {"prov:informed": "activity", "prov:informant": "activity"},
    "hadMember": {"prov:collection": "entity", "prov:entity": "entity"},
}


class _Sources:
    """Resolves source ids against the registry at head and the spec's `sources`."""

    def __init__(self, ctx: GateContext, spec: Mapping[str, object], path: str) -> None:
        self.ctx, self.path = ctx, path
        self.used = {source for _, source in indexed_sources(spec)}

    def check(self, source_id: str, pointer: Pointer, how: str) -> list[Finding]:
        if not SOURCE_ID_RE.match(source_id) or not self._registered(source_id):
            msg = (
                f"{how} `{shown(source_id)}` names no source in registry/sources/; use the "
                "source_id of a registered source"
            )
            return [located(self.ctx, "D.source-unresolved", msg, self.path, pointer)]
        if source_id not in self.used:
            msg = (
                f"{how} `{source_id}` is not one of the spec's `sources`; credit only the "
                "sources the dataset uses, or add it to the spec"
            )
            return [located(self.ctx, "D.catalog-mismatch", msg, self.path, pointer)]
        return []

    def _registered(self, source_id: str) -> bool:
        entry = self.ctx.head.entry(self.ctx.source_path(source_id))
        return entry is not None and entry.is_regular


def dcat_sources(
    ctx: GateContext, spec: Mapping[str, object], path: str, dcat: Mapping[str, object]
) -> list[Finding]:
    """Each `dct:source` names a registered source the spec uses, as `kfm://source/<id>`."""
    sources, findings = _Sources(ctx, spec, path), []
    for pointer, value in _dct_sources(dcat):
        ref = value.get("@id") if isinstance(value, dict) else value
        if isinstance(ref, str) and ref.startswith(SOURCE_URI):
            findings += sources.check(ref.removeprefix(SOURCE_URI), pointer, "`dct:source`")
        else:
            msg = (
                f"`dct:source` `{shown(ref)}` is not a source reference; write "
                f"`{SOURCE_URI}<source_id>` for a source in registry/sources/"
            )
            findings.append(located(ctx, "D.source-unresolved", msg, path, pointer))
    return findings


def _dct_sources(dcat: Mapping[str, object]) -> Iterator[tuple[Pointer, object]]:
    if "dct:source" not in dcat:
        return
    value = dcat["dct:source"]
    if isinstance(value, list):
        yield from ((("dct:source", i), item) for i, item in enumerate(value))
    else:
        yield ("dct:source",), value


def prov_sources(
    ctx: GateContext, spec: Mapping[str, object], path: str, prov: Mapping[str, object]
) -> list[Finding]:
    """Each entity's `kfm:source_id` names a registered source the spec uses."""
    sources, findings = _Sources(ctx, spec, path), []
    for name, record in _records(prov, "entity"):
        if "kfm:source_id" not in record:
            continue
        pointer = ("entity", name, "kfm:source_id")
        value = record["kfm:source_id"]
        if isinstance(value, str):
            findings += sources.check(value, pointer, "`kfm:source_id`")
        else:
            msg = "`kfm:source_id` must be the source_id string of a registered source"
            findings.append(located(ctx, "D.source-unresolved", msg, path, pointer))
    return findings


def prov_relations(ctx: GateContext, path: str, prov: Mapping[str, object]) -> list[Finding]:
    """Every record a PROV relation names is defined in the section its role requires."""
    defined = {section: {name for name, _ in _records(prov, section)} for section in DEFINING}
    findings: list[Finding] = []
    for relation, keys in RELATIONS.items():
        for rel_id, record in _records(prov, relation):
            for key, section in keys.items():
                value = record.get(key)
                if key not in record or (isinstance(value, str) and value in defined[section]):
                    continue
                msg = (
                    f"`{relation}` {shown(rel_id)} names {section} `{shown(value)}` in "
                    f"`{key}`, which the document does not define; add it under `{section}` "
                    "or fix the name"
                )
                findings.append(
                    located(ctx, "D.prov-undefined", msg, path, (relation, rel_id, key))
                )
    return findings


def _records(
    data: Mapping[str, object], section: str
) -> Iterator[tuple[str, Mapping[str, object]]]:
    block = data.get(section)
    if isinstance(block, dict):
        yield from ((k, v) for k, v in block.items() if isinstance(v, dict))
