"""The pack's PROV-JSON: the export activity, the repository files it used, the files it made."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kfm_bot.canonical import sha256_digest

PREFIXES = {"kfm": "https://kfm.example.org/ns#", "prov": "http://www.w3.org/ns/prov#"}


def provenance(
    activity: str,
    actor: str,
    at: str,
    commit: str,
    inputs: Mapping[str, str],
    outputs: Mapping[str, bytes],
) -> dict[str, Any]:
    """`inputs`: repository path -> digest; `outputs`: pack path -> bytes (same path: a copy)."""
    agent = f"kfm:agent/{actor}"
    entity: dict[str, Any] = {}
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
        "agent": {agent: {"prov:type": "prov:Agent", "prov:label": actor}},
        "used": used,
        "wasGeneratedBy": generated,
        "wasDerivedFrom": derived,
        "wasAssociatedWith": {"_:a1": {"prov:activity": activity, "prov:agent": agent}},
    }


def _n(paths: Mapping[str, Any]) -> list[tuple[int, str]]:
    return list(enumerate(sorted(paths), start=1))


def _source(path: str) -> str:
    return f"kfm:repo/{path}"


def _output(path: str) -> str:
    return f"kfm:pack/{path}"
