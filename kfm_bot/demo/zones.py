"""The demo's zones: two directories (`make demo`) or one SeaweedFS bucket (`make demo-s3`),
and the pipeline step that writes the new dataset's GeoJSON into the processed zone.

The organisation's `policies/storage.yaml` names them in the repository the demo creates.
For S3, the endpoint and the (local, throwaway) credentials go only into the environment of
the processes the demo starts, and of the one in-process write the "pipeline" makes: the
shell that runs the demo never sees them.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from kfm_bot.errors import UsageError

MEDIA_TYPE = "application/geo+json"
# The county seats the new dataset is about, as its pipeline would write them (RFC 7946).
SEATS = (("Lawrence", "Douglas", -95.2353, 38.9717), ("Topeka", "Shawnee", -95.6890, 39.0558))


@dataclass(frozen=True)
class DemoZones:
    processed: str  # URLs, as storage.yaml names them
    published: str
    env: Mapping[str, str] = field(default_factory=dict, repr=False)  # S3 only

    def storage_yaml(self) -> str:
        return (
            "# The demo organisation's zones (DESIGN.md section 12).\n"
            "kfm_storage_version: v1\nzones:\n"
            f"  processed:\n    url: {self.processed}\n"
            "    description: Pipeline outputs awaiting promotion.\n"
            f"  published:\n    url: {self.published}\n"
            "    description: Promoted versions only, content-addressed.\n"
        )


def file_zones(root: Path) -> DemoZones:
    return DemoZones(f"file://{root}/processed", f"file://{root}/published")


def s3_zones(bucket: str, prefix: str, env: Mapping[str, str]) -> DemoZones:
    base = f"s3://{bucket}/{prefix}"
    return DemoZones(f"{base}/processed", f"{base}/published", dict(env))


@contextmanager
def scoped_env(env: Mapping[str, str]) -> Iterator[None]:
    """`env` in os.environ for the duration of one in-process zone write, then restored."""
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def seats_geojson(slug: str) -> bytes:
    """The dataset's processed artifact: deterministic bytes, so every run names one digest."""
    features = [
        {
            "type": "Feature",
            "properties": {"name": name, "county": county},
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
        }
        for name, county, lon, lat in SEATS
    ]
    body = {"type": "FeatureCollection", "name": slug, "features": features}
    return (json.dumps(body, indent=1) + "\n").encode()


def write_processed(repo: Path, key: str, data: bytes, env: Mapping[str, str]) -> str:
    """Put `data` at `key` of the repository's processed zone (the pipeline's last step);
    an identical object already there is kept. Returns the digest."""
    from kfm_bot.zones.config import load_zones
    from kfm_bot.zones.store import ObjectExists, ZoneStore

    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    with scoped_env(env):
        store = ZoneStore(load_zones(repo)["processed"])
        try:
            store.put_if_absent(key, [data])
        except ObjectExists:
            have = hashlib.sha256(b"".join(bytes(c) for c in store.open_stream(key)))
            if "sha256:" + have.hexdigest() != digest:
                raise UsageError(f"processed/{key} holds other bytes; remove it first") from None
    return digest
