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
    digests = {path: sha256_digest(data) for path, data in outputs.items()}
    return provenance_of(activity, at, commit, inputs, digests)


def provenance_of(
    activity: str,
    at: str,
    commit: str,
    inputs: Mapping[str, str],
    outputs: Mapping[str, str],
    objects: Mapping[str, str] | None = None,
    renderings: Mapping[str, str] | None = None,
    label: str = "export pack",
) -> dict[str, object]:
    """As `provenance`, with outputs as pack path -> digest (large files are never held),
    `objects`: zone location (`published/<key>`) -> digest of the zone objects read, and
    `renderings`: pack path -> the zone location it was rendered from."""
    objects, renderings = objects or {}, renderings or {}
    entity: dict[str, object] = {}
    for path, digest in sorted(inputs.items()):
        entity[_source(path)] = {
            "prov:type": "kfm:RepositoryFile",
            "kfm:path": path,
            "kfm:digest": digest,
            "kfm:commit": commit,
        }
    for uri, digest in sorted(objects.items()):
        entity[_object(uri)] = {"prov:type": "kfm:ZoneObject", "kfm:uri": uri, "kfm:digest": digest}
    for path, digest in sorted(outputs.items()):
        entity[_output(path)] = {
            "prov:type": "kfm:PackFile",
            "kfm:path": path,
            "kfm:digest": digest,
        }
    used_names = sorted([_source(p) for p in inputs] + [_object(u) for u in objects])
    used = {
        f"_:u{i}": {"prov:activity": activity, "prov:entity": name}
        for i, name in enumerate(used_names, start=1)
    }
    generated = {
        f"_:g{i}": {"prov:entity": _output(p), "prov:activity": activity} for i, p in _n(outputs)
    }
    pairs = [(_output(p), _source(p)) for p in sorted(outputs) if p in inputs]
    pairs += [(_output(p), _object(renderings[p])) for p in sorted(renderings)]
    derived = {
        f"_:d{i}": {"prov:generatedEntity": made, "prov:usedEntity": source}
        for i, (made, source) in enumerate(sorted(pairs), start=1)
    }
    return {
        "prefix": PREFIXES,
        "entity": entity,
        "activity": {
            activity: {
                "prov:label": label,
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


def _object(uri: str) -> str:
    return f"kfm:zone/{uri}"


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
    return unresolved_digests(doc, {path: sha256_digest(data) for path, data in files.items()})


def unresolved_digests(doc: object, digests: Mapping[str, str]) -> str | None:
    """As `unresolved`, given each pack file's digest (large files are hashed in chunks)."""
    entities = _section(doc, "entity")
    for name, record in sorted(entities.items()):
        if record.get("prov:type") != "kfm:PackFile":
            continue
        path = record.get("kfm:path")
        if not isinstance(path, str) or name != _output(path) or path not in digests:
            return f"entity {name} names no file of the pack"
        if digests[path] != record.get("kfm:digest"):
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
