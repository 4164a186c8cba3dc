"""Digests already verified, by object version: re-checking an unchanged object is one HEAD.

The file maps `zone identity \\0 key \\0 version` to `[size, digest]`. A version (ETag or
version id) changes whenever an object's bytes do, so a hit means the bytes were hashed before.
It lives under `$KFM_CACHE_DIR`, else `$XDG_CACHE_HOME/kfm-bot`, else `~/.cache/kfm-bot`;
writes are atomic (temp file + rename) and a broken or foreign file is simply ignored.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from pathlib import Path

MAX_ENTRIES = 50_000  # bounded: the oldest entries go first
FILE_NAME = "zone-digests.v1.json"


def default_path() -> Path:
    base = os.environ.get("KFM_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    root = Path(base) if base else Path.home() / ".cache"
    return (root if os.environ.get("KFM_CACHE_DIR") else root / "kfm-bot") / FILE_NAME


class DigestCache:
    """Loaded once, consulted and filled from worker threads, saved once at the end."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._entries: dict[str, list[object]] = self._load()
        self._dirty = False

    def _load(self) -> dict[str, list[object]]:
        if self.path is None:
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError, UnicodeDecodeError):
            return {}
        return data if isinstance(data, dict) else {}

    @staticmethod
    def _key(identity: str, key: str, version: str) -> str:
        return f"{identity}\0{key}\0{version}"

    def get(self, identity: str, key: str, version: str) -> tuple[int, str] | None:
        if not version:  # a store without versions: nothing to trust a hit by
            return None
        with self._lock:
            hit = self._entries.get(self._key(identity, key, version))
        if isinstance(hit, list) and len(hit) == 2:
            size, digest = hit
            if isinstance(size, int) and isinstance(digest, str):
                return size, digest
        return None

    def put(self, identity: str, key: str, version: str, size: int, digest: str) -> None:
        if not version:
            return
        with self._lock:
            full = self._key(identity, key, version)
            self._entries.pop(full, None)  # re-insert: dicts keep order, newest last
            self._entries[full] = [size, digest]
            self._dirty = True

    def save(self) -> None:
        """Write the cache atomically; a cache that cannot be written is not an error."""
        if self.path is None or not self._dirty:
            return
        with self._lock:
            items = list(self._entries.items())[-MAX_ENTRIES:]
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".zone-digests.", dir=self.path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(dict(items), fh, separators=(",", ":"))
            Path(tmp).replace(self.path)
        except OSError:
            return
        self._dirty = False
