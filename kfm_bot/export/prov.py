"""The pack's PROV-JSON: the export activity, the repository files it used, the files it made."""

from __future__ import annotations

from collections.abc import Mapping

from kfm_bot.canonical import sha256_digest

PREFIXES = {"kfm": "https://kfm.example.org/ns#", "prov": "http://www.w3.org/ns/prov#"}
# The agent is the bot that assembles the pack, never the person who ran it: PROV is hashed,
# and pack_hash must not depend on who exported (the receipt names that person).
AGENT = "kfm:agent/kfm-bot"


def provenance(
    activity: str,
    at: str,
    commit: str,
    inputs: Mapping[str, str],
    outputs: Mapping[str, bytes],
) -> dict[str, object]:
    """`inputs`: repository path -> digest; `outputs`: pack path -> bytes (same path: a copy)."""
    entity: dict[str, object] = {}
    for path, digest in sorted(inputs.items()):
        entity[_source(path)] = {
            "prov:type": "kfm:RepositoryFile",
            "kfm:path": path,
            "kfm:digest": digest,
            "kfm:commit": commit,
        }
    for path, data in sorted(outputs.items()):
        entity[_output(path)] = {
            "prov:type": "kfm:PackFile",
            "kfm:path": path,
            "kfm:digest": sha256_digest(data),
        }
    used = {
        f"_:u{i}": {"prov:activity": activity, "prov:entity": _source(p)} for i, p in _n(inputs)
    }
    generated = {
        f"_:g{i}": {"prov:entity": _output(p), "prov:activity": activity} for i, p in _n(outputs)
    }
    copies = [p for p in sorted(outputs) if p in inputs]
    derived = {
        f"_:d{i}": {"prov:generatedEntity": _output(p), "prov:usedEntity": _source(p)}
        for i, p in enumerate(copies, start=1)
    }
    return {
        "prefix": PREFIXES,
        "entity": entity,
        "activity": {
            activity: {
                "prov:label": "export pack",
                "kfm:role": "export",
                "prov:startTime": at,
                "prov:endTime": at,
            }
        },
        "agent": {AGENT: {"prov:type": "prov:SoftwareAgent", "prov:label": "kfm-bot export"}},
        "used": used,
        "wasGeneratedBy": generated,
        "wasDerivedFrom": derived,
        "wasAssociatedWith": {"_:a1": {"prov:activity": activity, "prov:agent": AGENT}},
    }


def _n(paths: Mapping[str, object]) -> list[tuple[int, str]]:
    return list(enumerate(sorted(paths), start=1))


def _source(path: str) -> str:
    return f"kfm:repo/{path}"


def _output(path: str) -> str:
    return f"kfm:pack/{path}"


def repository_inputs(doc: object) -> tuple[dict[str, str], set[str]]:
    """The repository files a pack's PROV says it used (path -> digest) and their commits."""
    inputs: dict[str, str] = {}
    commits: set[str] = set()
    for record in _section(doc, "entity").values():
        if record.get("prov:type") == "kfm:RepositoryFile":
            inputs[str(record.get("kfm:path"))] = str(record.get("kfm:digest"))
            commits.add(str(record.get("kfm:commit")))
    return inputs, commits


def unresolved(doc: object, files: Mapping[str, bytes]) -> str | None:
    """The first link of the pack's PROV that does not resolve inside the pack, if any."""
    entities = _section(doc, "entity")
    for name, record in sorted(entities.items()):
        if record.get("prov:type") != "kfm:PackFile":
            continue
        path = record.get("kfm:path")
        if not isinstance(path, str) or name != _output(path) or path not in files:
            return f"entity {name} names no file of the pack"
        if sha256_digest(files[path]) != record.get("kfm:digest"):
            return f"entity {name} does not have the digest of {path}"
    for section, keys in _LINKS.items():
        for name, record in sorted(_section(doc, section).items()):
            for key in keys:
                if record.get(key) not in entities:
                    return f"{section} {name} names {key} {record.get(key)!r}, not an entity"
    return None


_LINKS = {
    "used": ("prov:entity",),
    "wasGeneratedBy": ("prov:entity",),
    "wasDerivedFrom": ("prov:generatedEntity", "prov:usedEntity"),
}


def _section(doc: object, name: str) -> dict[str, Mapping[str, object]]:
    block = doc.get(name) if isinstance(doc, dict) else None
    if not isinstance(block, dict):
        return {}
    return {k: v for k, v in block.items() if isinstance(v, dict)}
