"""Check zone objects against recorded digests: streamed, in parallel with a bound, cached.

Each object costs one HEAD (size and version). A cache hit on that version ends it there;
otherwise the bytes are streamed through sha256 in 1 MiB chunks (constant memory per worker)
on a bounded thread pool (hashlib and obstore both release the GIL while they work). A read
that fails mid-stream is retried from the start a bounded number of times (reading is safe);
a zone that still fails raises `ZoneUnreachable` (exit 3): no verdict is a failure, never a pass.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Literal, TextIO

from kfm_bot.progress import Progress as _Line
from kfm_bot.zones.cache import DigestCache
from kfm_bot.zones.config import Zones
from kfm_bot.zones.store import ObjectMissing, ZoneStore, ZoneUnreachable

MAX_WORKERS = 4
READ_ATTEMPTS = 3
Status = Literal["ok", "missing", "size-mismatch", "digest-mismatch"]


@dataclass(frozen=True)
class ObjectRef:
    """An object a document names: `zone`/`key`, the digest and size (if any) it records."""

    zone: str
    key: str
    digest: str
    size: int | None = None


@dataclass(frozen=True)
class Verdict:
    ref: ObjectRef
    status: Status
    actual_size: int | None = None
    actual_digest: str | None = None
    cached: bool = False


class Progress(_Line):
    """`verifying zone objects: 3/10, 1.2 GiB` on one stderr line, only on a terminal (the
    shared line of `kfm_bot/progress.py`, with the bytes read so far)."""

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        super().__init__("verifying zone objects", total, stream, keep=True)
        self.bytes = 0

    def add_bytes(self, n: int) -> None:
        with self._lock:  # workers of the pool add at once
            self.bytes += n
            due = self.enabled and self.bytes % (64 << 20) < n  # about every 64 MiB
        if due:
            self.show(self._mib())

    def finish_one(self) -> None:
        self.advance(self._mib())

    def _mib(self) -> str:
        return f"{self.bytes / (1 << 20):.0f} MiB"


def verify_objects(
    zones: Zones,
    refs: Sequence[ObjectRef],
    cache: DigestCache | None = None,
    workers: int = MAX_WORKERS,
    progress: Progress | None = None,
    open_store: Callable[[str], ZoneStore] | None = None,
) -> list[Verdict]:
    """One verdict per ref, in order. Raises ZoneUnreachable when a zone cannot answer."""
    stores: dict[str, ZoneStore] = {}
    lock = threading.Lock()

    def store_of(name: str) -> ZoneStore:
        with lock:
            if name not in stores:
                stores[name] = open_store(name) if open_store else ZoneStore(zones[name])
            return stores[name]

    meter = progress or Progress(len(refs))

    def one(ref: ObjectRef) -> Verdict:
        try:
            return _verify_one(store_of(ref.zone), ref, cache, meter)
        finally:
            meter.finish_one()

    try:
        if len(refs) <= 1 or workers <= 1:
            return [one(r) for r in refs]
        with ThreadPoolExecutor(max_workers=min(workers, len(refs))) as pool:
            return list(pool.map(one, refs))
    finally:
        if cache is not None:
            cache.save()


def _verify_one(
    store: ZoneStore, ref: ObjectRef, cache: DigestCache | None, meter: Progress
) -> Verdict:
    info = store.head(ref.key)
    if info is None:
        return Verdict(ref, "missing")
    if ref.size is not None and info.size != ref.size:
        return Verdict(ref, "size-mismatch", actual_size=info.size)
    identity = store.zone.identity
    hit = cache.get(identity, ref.key, info.version) if cache else None
    if hit is not None and hit[0] == info.size:
        return _judge(ref, info.size, hit[1], cached=True)
    try:
        digest = _hash(store, ref.key, meter)
    except ObjectMissing:  # deleted between the HEAD and the read
        return Verdict(ref, "missing")
    if cache is not None:
        cache.put(identity, ref.key, info.version, info.size, digest)
    return _judge(ref, info.size, digest, cached=False)


def _judge(ref: ObjectRef, size: int, digest: str, cached: bool) -> Verdict:
    status: Status = "ok" if digest == ref.digest else "digest-mismatch"
    return Verdict(ref, status, actual_size=size, actual_digest=digest, cached=cached)


def _hash(store: ZoneStore, key: str, meter: Progress) -> str:
    """sha256 of the object's bytes, read again from the start when a read breaks off."""
    for attempt in range(1, READ_ATTEMPTS + 1):
        h = hashlib.sha256()
        try:
            for chunk in store.open_stream(key):
                h.update(chunk)
                meter.add_bytes(len(chunk))
            return "sha256:" + h.hexdigest()
        except ObjectMissing:
            raise
        except ZoneUnreachable:
            if attempt == READ_ATTEMPTS:
                raise
    raise AssertionError("unreachable")  # the loop returns or raises
