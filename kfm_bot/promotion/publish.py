"""Promotion publishes the bytes (DESIGN.md sections 7 and 12).

Every output the spec marks `publish: true` that is a zone object (`uri: processed/<key>`) is
named, with its digest, by the producing receipt. The manifest records it as an artifact at
its published place, `published/sha256/<hex>`: immutable and content-addressed, so the place
is known from the digest alone (a dry run prints it, a re-run computes the same manifest) and
one object serves every version that released the same bytes.

`publish_artifacts` runs once per promotion, after the gates passed on the merge commit and
before the manifest lands:

1. the published key exists: its bytes are verified (one HEAD when the digest cache knows the
   version); the recorded digest means a re-run after a kill is a no-op, other bytes are an
   error (never overwritten, nothing further written);
2. else the processed object is verified first (a wrong object must never sit at a
   content-addressed key), copied with `copy_if_absent` (server-side when the store allows,
   a conditional write that never replaces an object), and verified again after the copy.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kfm_bot.errors import GateFailure

if TYPE_CHECKING:
    from kfm_bot.gates.engine.context import GateContext
    from kfm_bot.models.receipt import RunReceipt
    from kfm_bot.models.spec import PipelineSpec
    from kfm_bot.zones.cache import DigestCache
    from kfm_bot.zones.config import Zones
    from kfm_bot.zones.store import ZoneStore
    from kfm_bot.zones.verify import Verdict

SOURCE_ZONE = "processed"
PUBLISHED_ZONE = "published"


def published_key(digest: str) -> str:
    """`sha256/<hex>`: where bytes of this digest live in the published zone."""
    algorithm, _, hexdigest = digest.partition(":")
    return f"{algorithm}/{hexdigest}"


def published_artifacts(spec: PipelineSpec, receipt: RunReceipt) -> list[dict[str, Any]]:
    """The manifest entries of the spec's published zone outputs, from the receipt's digests.

    GateFailure (promotion refused, nothing written) when a published output is not in the
    processed zone or the receipt does not name it with a digest."""
    recorded = {o.uri: o for o in receipt.outputs if o.uri is not None}
    found: dict[str, dict[str, Any]] = {}
    for output in spec.outputs:
        if output.uri is None or not output.publish:
            continue
        zone = output.uri.split("/", 1)[0]
        if zone != SOURCE_ZONE:
            raise GateFailure(
                f"{spec.dataset_slug}: output {output.uri!r} is marked `publish: true` but is "
                f"in zone {zone!r}; promotion publishes from {SOURCE_ZONE!r} only"
            )
        named = recorded.get(output.uri)
        if named is None:
            raise GateFailure(
                f"{spec.dataset_slug}: output {output.uri!r} is marked `publish: true` but run "
                f"{receipt.run_id} names no digest for it; re-run the pipeline"
            )
        entry: dict[str, Any] = {
            "uri": f"{PUBLISHED_ZONE}/{published_key(named.digest)}",
            "source": output.uri,
            "digest": named.digest,
            "media_type": output.media_type,
        }
        if named.size is not None:
            entry["size"] = named.size
        found[entry["uri"]] = entry  # the same bytes twice are one published object
    return [found[uri] for uri in sorted(found)]


def zones_for(ctx: GateContext) -> Zones | None:
    """The zones promotion publishes with: the policy snapshot's storage.yaml (as gate E used)."""
    from kfm_bot.zones.config import zones_from_policy

    storage = ctx.policies.storage if ctx.policies is not None else None
    if storage is None or ctx.repo_root is None:
        return None
    return zones_from_policy(storage, ctx.repo_root)


@dataclass(frozen=True)
class Publication:
    """One published artifact of a manifest: where from, where to, which bytes."""

    source_key: str  # in the processed zone
    key: str  # in the published zone
    digest: str
    size: int | None

    @classmethod
    def of(cls, entry: dict[str, Any]) -> Publication:
        return cls(
            str(entry["source"]).split("/", 1)[1],
            str(entry["uri"]).split("/", 1)[1],
            str(entry["digest"]),
            entry.get("size"),
        )


def publications(manifest_bytes: bytes) -> list[Publication]:
    """The published artifacts the manifest (about to land) records."""
    manifest = json.loads(manifest_bytes)
    return [Publication.of(a) for a in manifest["artifacts"] if "uri" in a]


def describe(manifest_bytes: bytes) -> list[str]:
    """What a dry run says it would publish."""
    return [
        f"  publish {SOURCE_ZONE}/{p.source_key} -> {PUBLISHED_ZONE}/{p.key}  {p.digest}"
        for p in publications(manifest_bytes)
    ]


def publish_artifacts(
    zones: Zones | None, tag: str, manifest_bytes: bytes, say: Callable[[str], None]
) -> None:
    """Copy and verify every published artifact of the manifest; GateFailure, nothing further
    written, when the published zone holds other bytes at a key; ZoneUnreachable (exit 3)."""
    items = publications(manifest_bytes)
    if not items:
        return
    if zones is None:
        raise GateFailure(
            f"{tag}: the manifest publishes zone objects but policies/storage.yaml names no zones"
        )
    from kfm_bot.zones.cache import DigestCache, default_path
    from kfm_bot.zones.store import ZoneStore

    stores = {name: ZoneStore(zones[name]) for name in (SOURCE_ZONE, PUBLISHED_ZONE)}
    cache = DigestCache(default_path())
    for item in items:
        _publish_one(zones, stores, cache, tag, item, say)


def _publish_one(
    zones: Zones,
    stores: dict[str, ZoneStore],
    cache: DigestCache,
    tag: str,
    item: Publication,
    say: Callable[[str], None],
) -> None:
    from kfm_bot.zones.store import ObjectExists

    source, target = stores[SOURCE_ZONE], stores[PUBLISHED_ZONE]
    where = f"{PUBLISHED_ZONE}/{item.key}"
    copied = False
    if target.head(item.key) is None:
        check = _verify(zones, stores, cache, SOURCE_ZONE, item.source_key, item)
        if check.status != "ok":
            raise GateFailure(
                f"{SOURCE_ZONE}/{item.source_key} {_what(check)}: {tag} stopped, nothing "
                "published or committed"
            )
        try:
            target.copy_if_absent(source, item.source_key, item.key)
            copied = True
        except ObjectExists:
            pass  # a concurrent run published first: its bytes are judged below like ours
    after = _verify(zones, stores, cache, PUBLISHED_ZONE, item.key, item)
    if after.status != "ok":
        raise GateFailure(
            f"{where} {_what(after)}: never overwritten; {tag} stopped, nothing further "
            "written (investigate the published zone, then re-run)"
        )
    size = after.actual_size if after.actual_size is not None else 0
    verb = "published" if copied else "already published (verified)"
    say(f"{verb} {SOURCE_ZONE}/{item.source_key} -> {where} ({item.digest}, {size} bytes)")


def _verify(
    zones: Zones,
    stores: dict[str, ZoneStore],
    cache: DigestCache,
    zone: str,
    key: str,
    item: Publication,
) -> Verdict:
    from kfm_bot.zones.verify import ObjectRef, verify_objects

    ref = ObjectRef(zone, key, item.digest, item.size)
    return verify_objects(zones, [ref], cache, open_store=stores.__getitem__)[0]


def _what(verdict: Verdict) -> str:
    if verdict.status == "missing":
        return "does not exist"
    if verdict.status == "size-mismatch":
        return f"holds other bytes ({verdict.actual_size} bytes, not {verdict.ref.size})"
    return f"holds other bytes (sha256 {str(verdict.actual_digest)[7:19]}…)"


def published_keys(manifests: Sequence[bytes]) -> dict[str, Publication]:
    """Every published key the given manifests name (for `zones audit`)."""
    return {p.key: p for data in manifests for p in publications(data)}
