"""A dataset's PROV document (specs/<slug>/catalog/prov.json) as a Mermaid lineage diagram.

Every label comes from a PR, so it is made inert for Mermaid and for Markdown: node ids are
generated (`n0`, `n1`, ...), labels are quoted, and the characters that could end a label,
a node, the diagram or the code fence around it are written as Mermaid entity codes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

MAX_NODES = 40
MAX_LABEL = 60
_SHAPES = {"entity": ('["', '"]'), "activity": ('(["', '"])'), "agent": ('{{"', '"}}')}
# relation -> (from key, to key, arrow): the arrow points the way the data flowed.
_EDGES = {
    "used": ("prov:entity", "prov:activity", "-->|used|"),
    "wasGeneratedBy": ("prov:activity", "prov:entity", "-->|generated|"),
    "wasDerivedFrom": ("prov:usedEntity", "prov:generatedEntity", "-.->|derived|"),
    "wasAssociatedWith": ("prov:agent", "prov:activity", "-.->|ran|"),
    "hadMember": ("prov:entity", "prov:collection", "-->|member of|"),
}
_ENTITY = {'"': "#quot;", "`": "#96;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "#": "#35;"}
_UNSAFE = re.compile(r'["`<>&#]')
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_MENTION = re.compile(r"@(?=[A-Za-z0-9])")


def label(text: str) -> str:
    """A label that can only ever be text inside `"..."` (no quote, fence, tag or link)."""
    flat = " ".join(_CONTROL.sub(" ", text).split())
    if len(flat) > MAX_LABEL:
        flat = flat[: MAX_LABEL - 1] + "…"
    flat = _UNSAFE.sub(lambda m: _ENTITY[m.group()], flat)
    return _MENTION.sub("@\u200b", flat)


def _name(key: str, attrs: object) -> str:
    if isinstance(attrs, dict):
        for field in ("prov:label", "kfm:source_id", "kfm:path"):
            value = attrs.get(field)
            if isinstance(value, str) and value:
                return value
    return key.split("/", 1)[1] if "/" in key else key


def prov_mermaid(prov: Mapping[str, object]) -> str | None:
    """`flowchart LR` of the document's entities, activities, agents and relations; None when
    it has no node."""
    ids: dict[str, str] = {}
    lines = ["flowchart LR"]
    for kind, (open_, close) in _SHAPES.items():
        nodes = prov.get(kind)
        for key, attrs in sorted(nodes.items()) if isinstance(nodes, dict) else ():
            if len(ids) >= MAX_NODES:
                break
            ids[key] = f"n{len(ids)}"
            lines.append(f"  {ids[key]}{open_}{label(_name(key, attrs))}{close}")
    if not ids:
        return None
    for relation, (source, target, arrow) in _EDGES.items():
        items = prov.get(relation)
        for _, rel in sorted(items.items()) if isinstance(items, dict) else ():
            a = rel.get(source) if isinstance(rel, dict) else None
            b = rel.get(target) if isinstance(rel, dict) else None
            if isinstance(a, str) and isinstance(b, str) and a in ids and b in ids:
                lines.append(f"  {ids[a]} {arrow} {ids[b]}")
    return "\n".join(lines)
