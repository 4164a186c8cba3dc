"""Child process of the 1 GiB test: write, verify and copy one big object, print peak RSS.

Run as `python -m tests.zones.big_artifact ROOT_URL_PROCESSED ROOT_URL_PUBLISHED SIZE_MIB`;
S3 zones read the AWS_* variables the parent set. Prints `ok <max_rss_kib>`."""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterator
from pathlib import Path

from kfm_bot.zones.config import Zones, zone_from_url
from kfm_bot.zones.store import ZoneStore
from kfm_bot.zones.verify import ObjectRef, verify_objects

MIB = 1 << 20


def chunks(mib: int) -> Iterator[bytes]:
    """`mib` MiB of bytes made on the fly: no two chunks alike, nothing kept."""
    base = hashlib.sha256(b"kfm").digest() * (MIB // 32)
    for i in range(mib):
        yield base[:-8] + i.to_bytes(8, "big")


def main(processed_url: str, published_url: str, mib: int) -> None:
    root = Path.cwd()
    zones = Zones(
        {
            "processed": zone_from_url("processed", processed_url, root),
            "published": zone_from_url("published", published_url, root),
        }
    )
    h = hashlib.sha256()
    for c in chunks(mib):
        h.update(c)
    digest = "sha256:" + h.hexdigest()
    processed = ZoneStore(zones["processed"])
    processed.put_if_absent("big.bin", chunks(mib))
    (v,) = verify_objects(zones, [ObjectRef("processed", "big.bin", digest, mib * MIB)])
    assert v.status == "ok", v
    published = ZoneStore(zones["published"])
    published.copy_if_absent(processed, "big.bin", "sha256/" + digest[7:])
    (w,) = verify_objects(zones, [ObjectRef("published", "sha256/" + digest[7:], digest)])
    assert w.status == "ok", w
    print("ok", peak_rss_kib())


def peak_rss_kib() -> int:
    """This program's own peak RSS: VmHWM, the high-water mark of the memory map exec made.
    Not getrusage's ru_maxrss, which Linux carries across fork and exec: a child of a pytest
    worker that had grown to 325 MiB reported 325 MiB however little it used itself."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
