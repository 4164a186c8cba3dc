"""Where an export reads artifact bytes: the published zone, and only it.

The renderer depends on one method, `open_stream(key)`; `published_zone` serves it from the
zones store (kfm_bot/zones: file:// and s3://, whichever `policies/storage.yaml` names at the
promotion commit). A location in any other zone (raw, work, quarantine, processed) is refused
before a byte is read: exports are never built from them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from kfm_bot.errors import UsageError
from kfm_bot.export.layout import PackError

if TYPE_CHECKING:
    from kfm_bot.export.promoted import Promoted
    from kfm_bot.zones.store import ZoneStore

PUBLISHED = "published"
# The seed's zones; only the last one serves exports.
ZONES = ("raw", "work", "quarantine", "processed", PUBLISHED)
CHUNK_BYTES = 1024 * 1024
_KEY = re.compile(r"^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$")


class MissingObject(PackError):
    """A key the manifest names is not in the published zone: the export fails, never skips."""


class ZoneReader(Protocol):
    """The reading side of a zone store: an object's bytes, in chunks, by key."""

    def open_stream(self, key: str) -> Iterator[bytes]: ...


def zone_of(location: str) -> str | None:
    """The zone a manifest location names (`published/<key>` -> "published"), else None."""
    head = location.split("/", 1)[0]
    return head if head in ZONES and "/" in location else None


def published_key(location: str, where: str) -> str:
    """The key of a `published/<key>` location; PackError naming `where` for any other zone."""
    zone = zone_of(location)
    if zone is None:
        raise PackError(f"{where}: {location} is not a zone object (expected published/<key>)")
    if zone != PUBLISHED:
        raise PackError(
            f"{where}: {location} is in the {zone} zone; exports are built from the published "
            "zone only, never from raw, work, quarantine or processed objects"
        )
    key = location.split("/", 1)[1]
    if not plain_key(key):
        raise PackError(f"{where}: {location} is not a plain object key")
    return key


def plain_key(key: str) -> bool:
    """Slash-separated names of letters, digits, `.`, `_` and `-`; no `.` or `..` part."""
    return bool(_KEY.match(key)) and not any(part in {".", ".."} for part in key.split("/"))


class PublishedZone:
    """The published zone's store as the renderer reads it: bytes chunks, and a missing object
    as MissingObject (the export fails, exit 1). A zone that does not answer stays
    ZoneUnreachable (exit 3, no credential in the message)."""

    def __init__(self, store: ZoneStore) -> None:
        self.store = store

    def open_stream(self, key: str) -> Iterator[bytes]:
        from kfm_bot.zones.store import ObjectMissing

        try:
            for chunk in self.store.open_stream(key, CHUNK_BYTES):
                yield bytes(chunk)
        except ObjectMissing:
            raise MissingObject(f"{PUBLISHED}/{key} is missing from the published zone") from None


def published_zone(promoted: Promoted, repo_dir: Path, override: str | None) -> PublishedZone:
    """The published zone of `policies/storage.yaml` as committed at the promotion commit (on
    the default branch, the base of trust: a branch cannot redirect an export), or `override`
    (`--published-zone`), a copy of it elsewhere, e.g. on an air-gapped machine. Either way
    every object's bytes must hash to the promotion manifest's digest, so the location is not
    trusted for content."""
    from kfm_bot.zones.config import STORAGE_PATH, zone_override, zones_from_bytes
    from kfm_bot.zones.store import ZoneStore

    if override is not None:
        zone = zone_override(PUBLISHED, override, repo_dir, "--published-zone")
    else:
        entry = promoted.snapshot.entry(STORAGE_PATH)
        if entry is None or not entry.is_regular:
            raise UsageError(
                f"{STORAGE_PATH} is missing at the promotion commit {promoted.commit[:12]}; "
                "it names the published zone (or pass --published-zone URL)"
            )
        where = f"{STORAGE_PATH} at {promoted.commit[:12]}"
        zone = zones_from_bytes(promoted.snapshot.read(STORAGE_PATH), repo_dir, where)[PUBLISHED]
    return PublishedZone(ZoneStore(zone))
