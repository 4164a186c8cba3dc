"""Gate E, zone objects: every `<zone>/<key>` a receipt names exists with its size and digest.

Receipts name zone objects in the seed's form (`{"uri": "processed/<key>", "digest": ...}`);
zones come from `policies/storage.yaml` of the policy snapshot (the base: a PR cannot point
the check at a store of its own). The bytes are checked by `kfm_bot.zones.verify` (streamed,
bounded parallelism, cached by object version). A zone that cannot answer raises
`ZoneUnreachable` out of the gate: the command fails closed with exit 3.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kfm_bot.findings import Finding
from kfm_bot.gates.engine.context import GateContext
from kfm_bot.gates.engine.reading import located, quoted

if TYPE_CHECKING:
    from kfm_bot.zones.config import Zones

RULES: dict[str, str] = {
    "E.zone-unknown": "a uri <zone>/<key> names a zone policies/storage.yaml lacks: fix either.",
    "E.object-missing": "a zone object a receipt names does not exist: upload it or fix the uri.",
    "E.object-size-mismatch": "a zone object's size differs from the receipt's: re-run or fix it.",
    "E.object-digest-mismatch": "a zone object's bytes differ from its digest: re-run or fix it.",
}
STORAGE = "policies/storage.yaml"
# `processed/wells/v1.parquet`: a zone name, then a key; anything with a scheme is not ours.
ZONE_URI = re.compile(r"^([a-z][a-z0-9_]{1,31})/([^\x00-\x1f\\]+)$")
DIGEST_RE = re.compile(r"^sha256:[0-9a-f]{64}$")


@dataclass(frozen=True)
class Named:
    """One zone object as a receipt names it, and where: the receipt and the entry's pointer."""

    zone: str
    key: str
    digest: str
    size: int | None
    path: str
    pointer: tuple[str | int, ...]


def zone_uri(value: object) -> tuple[str, str] | None:
    """(`zone`, `key`) of a `<zone>/<key>` uri; None for other uris (`kfm://...`, `s3://...`)."""
    if not isinstance(value, str) or "://" in value:
        return None
    m = ZONE_URI.match(value)
    if m is None or any(p in ("", ".", "..") for p in m.group(2).split("/")):
        return None
    return m.group(1), m.group(2)


def named_objects(path: str, receipt: Mapping[str, object]) -> list[Named]:
    """The zone objects of one receipt's inputs and outputs that carry a valid digest."""
    found: list[Named] = []
    for key in ("inputs", "outputs"):
        entries = receipt.get(key)
        for i, entry in enumerate(entries if isinstance(entries, list) else []):
            if not isinstance(entry, dict) or (parsed := zone_uri(entry.get("uri"))) is None:
                continue
            digest, size = entry.get("digest"), entry.get("size")
            if not isinstance(digest, str) or not DIGEST_RE.match(digest):
                continue  # E.digest-missing, reported by receipts.py
            exact = size if isinstance(size, int) and not isinstance(size, bool) else None
            found.append(Named(parsed[0], parsed[1], digest, exact, path, (key, i)))
    return found


def check(ctx: GateContext, named: list[Named]) -> list[Finding]:
    """Findings for every named object that is missing or differs; raises ZoneUnreachable."""
    if not named:
        return []
    zones = _zones(ctx)
    findings: list[Finding] = []
    known = [n for n in named if zones is not None and zones.get(n.zone) is not None]
    for n in named:
        if zones is None or zones.get(n.zone) is None:
            uri = quoted(n.zone + "/" + n.key)
            msg = (
                f"uri {uri} names zone {quoted(n.zone)}, which {STORAGE} does not name"
                if zones is not None
                else f"uri {uri} names a zone, but no valid {STORAGE} configures any"
            )
            findings.append(located(ctx, "E.zone-unknown", msg, n.path, (*n.pointer, "uri")))
    if not known or zones is None:
        return findings
    from kfm_bot.zones.cache import DigestCache, default_path
    from kfm_bot.zones.verify import ObjectRef, verify_objects

    refs = [ObjectRef(n.zone, n.key, n.digest, n.size) for n in known]
    verdicts = verify_objects(zones, refs, DigestCache(default_path()))
    for n, v in zip(known, verdicts, strict=True):
        where = f"{n.zone}/{n.key}"
        if v.status == "missing":
            msg = f"zone object {quoted(where)} does not exist; upload it or fix the uri"
            findings.append(located(ctx, "E.object-missing", msg, n.path, (*n.pointer, "uri")))
        elif v.status == "size-mismatch":
            msg = f"zone object {quoted(where)} has {v.actual_size} bytes, not {n.size}"
            findings.append(
                located(ctx, "E.object-size-mismatch", msg, n.path, (*n.pointer, "size"))
            )
        elif v.status == "digest-mismatch":
            msg = f"zone object {quoted(where)} has digest {v.actual_digest}, not the recorded one"
            findings.append(
                located(ctx, "E.object-digest-mismatch", msg, n.path, (*n.pointer, "digest"))
            )
    return findings


def _zones(ctx: GateContext) -> Zones | None:
    """The Zones of the policy snapshot's storage.yaml; None when it has none, or an invalid
    one (gate F reports that)."""
    from kfm_bot.zones.config import zones_from_policy

    storage = ctx.policies.storage if ctx.policies is not None else None
    if storage is None or ctx.repo_root is None:
        return None
    return zones_from_policy(storage, ctx.repo_root)
