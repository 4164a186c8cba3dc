"""Review digests: what an approval is bound to; a rebase keeps them, a content change does not."""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from kfm_bot.approvals.units import POLICIES_UNIT, SOURCE_PREFIX
from kfm_bot.canonical import canonical_bytes, sha256_digest, spec_hash
from kfm_bot.repo.documents import DocumentStore
from kfm_bot.repo.layout import POLICIES_DIR, SPECS_DIR, source_path, spec_path
from kfm_bot.repo.snapshot import Snapshot, under


def _file(snapshot: Snapshot, path: str) -> dict[str, str]:
    """A file's mode and byte digest (a submodule has no bytes of its own)."""
    entry = snapshot.entry(path)
    if entry is None:
        return {"mode": "absent"}
    if not entry.is_regular and entry.mode != "120000":
        return {"mode": entry.mode}
    return {"mode": entry.mode, "digest": snapshot.digest(path)}


def _document(snapshot: Snapshot, docs: DocumentStore, path: str) -> dict[str, str]:
    """A YAML document by the canonical hash of its JSON value, so formatting does not count."""
    entry = snapshot.entry(path)
    if entry is not None and entry.is_regular:
        data = docs.data(path)
        if data is not None:
            return {"canonical": spec_hash(data)}
    return _file(snapshot, path)


def _digest(value: object) -> str:
    return sha256_digest(canonical_bytes(value))


def _under(snapshot: Snapshot, folder: str) -> list[str]:
    # The folder's own trees: the whole listing grows with every promotion ever made.
    return under(snapshot, folder + "/")


def review_digest(snapshot: Snapshot, slug: str, docs: DocumentStore) -> str:
    """sha256 over the spec_hash, every other file of `specs/<slug>/`, and the spec's sources."""
    spec = spec_path(slug)
    data = docs.data(spec) if snapshot.entry(spec) is not None else None
    names = data.get("sources") if isinstance(data, dict) else None
    # Unvalidated: a malformed `sources` is iterated as it always was (gate A reports it).
    sources = sorted({s for s in cast("Iterable[object]", names or []) if isinstance(s, str)})
    files = {p: _file(snapshot, p) for p in _under(snapshot, f"{SPECS_DIR}/{slug}") if p != spec}
    return _digest(
        {
            "kind": "dataset",
            "dataset_slug": slug,
            "spec": {"spec_hash": spec_hash(data)} if data is not None else _file(snapshot, spec),
            "files": files,
            "sources": {s: _document(snapshot, docs, source_path(s)) for s in sources},
        }
    )


def source_digest(snapshot: Snapshot, source_id: str, docs: DocumentStore) -> str:
    """A source entry no dataset uses, by the canonical hash of its document."""
    entry = _document(snapshot, docs, source_path(source_id))
    return _digest({"kind": "source", "source_id": source_id, "entry": entry})


def policies_digest(snapshot: Snapshot, docs: DocumentStore) -> str:
    """Every file under policies/: YAML by canonical hash, anything else by its bytes."""
    files = {
        p: _document(snapshot, docs, p) if p.endswith((".yaml", ".yml")) else _file(snapshot, p)
        for p in _under(snapshot, POLICIES_DIR)
    }
    return _digest({"kind": "policies", "files": files})


def unit_digests(
    snapshot: Snapshot, units: Iterable[str], docs: DocumentStore | None = None
) -> dict[str, str]:
    """The digest of each unit (dataset slug, `source:<id>`, `policies`) at this snapshot."""
    store = docs if docs is not None else DocumentStore(snapshot)
    out: dict[str, str] = {}
    for unit in units:
        if unit == POLICIES_UNIT:
            out[unit] = policies_digest(snapshot, store)
        elif unit.startswith(SOURCE_PREFIX):
            out[unit] = source_digest(snapshot, unit.removeprefix(SOURCE_PREFIX), store)
        else:
            out[unit] = review_digest(snapshot, unit, store)
    return out
