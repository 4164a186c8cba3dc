"""Where an export reads artifact bytes: the published zone, and only it.

The renderer depends on one method, `open_stream(key)`, so the object store that the zones
package provides (file:// and s3://, `policies/storage.yaml`) plugs in unchanged; until then
`DirectoryZone` reads a file:// directory. A location in any other zone (raw, work,
quarantine, processed) is refused before a byte is read: exports are never built from them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

from kfm_bot.errors import UsageError
from kfm_bot.export.layout import PackError

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
    if not _KEY.match(key) or any(part in {".", ".."} for part in key.split("/")):
        raise PackError(f"{where}: {location} is not a plain object key")
    return key


class DirectoryZone:
    """A file:// zone: every key is a file under one directory."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def from_url(cls, url: str) -> DirectoryZone:
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise UsageError(
                f"--published-zone {url!r}: only a file:// directory can be read here "
                "(file:///path/to/published)"
            )
        root = Path(unquote(parts.path))
        if not root.is_dir():
            raise UsageError(f"--published-zone {url!r}: {root} is not a directory")
        return cls(root)

    def open_stream(self, key: str) -> Iterator[bytes]:
        path = self.root / key
        # A link anywhere on the way could lead out of the zone: only plain files inside it.
        inside = path.resolve().is_relative_to(self.root.resolve())
        if not inside or path.is_symlink() or not path.is_file():
            raise MissingObject(f"{PUBLISHED}/{key} is missing from the published zone")
        return self._chunks(path)

    @staticmethod
    def _chunks(path: Path) -> Iterator[bytes]:
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK_BYTES):
                yield chunk
