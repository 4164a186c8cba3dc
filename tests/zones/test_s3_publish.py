"""Promotion publishes on a real S3 server (SeaweedFS): both zones in one bucket, so the copy
is server-side; the re-run is a no-op and `zones audit` agrees."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from kfm_bot.zones.config import zone_from_url
from kfm_bot.zones.store import ZoneStore
from tests.cli import kfm_bot
from tests.github.world import World, world
from tests.promotion.world import clone, count_promotions, merge, promote, tag_of
from tests.promotion.zone_world import (
    DATA,
    KEY,
    URI,
    digest,
    published_key,
    publishing_change,
    remote_manifest,
    use_storage,
)
from tests.zones.seaweed import SECRET_KEY, S3Server
from tests.zones.world import storage_yaml

__all__ = ["world"]  # the emulator world fixture of tests/github
pytestmark = pytest.mark.slow


def test_promotion_publishes_into_s3_server_side_and_audits_clean(
    world: World, s3_server: S3Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = s3_server.env()
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    prefix = uuid.uuid4().hex[:12]
    urls = {z: f"s3://kfm/{prefix}/{z}" for z in ("processed", "published")}
    use_storage(world, storage_yaml(urls["processed"], urls["published"]))
    processed = ZoneStore(zone_from_url("processed", urls["processed"], Path(".")))
    published = ZoneStore(zone_from_url("published", urls["published"], Path(".")))
    processed.put_if_absent(KEY, [DATA])
    sha = merge(world, publishing_change(world, "On S3", "s3"), "squash")
    tag = tag_of(world, "ks_water_wells", sha)
    ci = clone(world, "ci")
    done = promote(world, ci, "--push", **env)
    assert done.returncode == 0, done.stdout + done.stderr
    key = published_key(DATA)
    assert f"published {URI} -> published/{key} ({digest(DATA)}, {len(DATA)} bytes)" in done.stdout
    assert b"".join(bytes(c) for c in published.open_stream(key)) == DATA
    uris = [a.get("uri") for a in remote_manifest(world, tag)["artifacts"]]  # type: ignore[attr-defined]
    assert f"published/{key}" in uris
    first = published.head(key)
    again = promote(world, clone(world, "ci2"), "--push", **env)
    assert again.returncode == 0 and "nothing to promote" in again.stdout
    assert published.head(key) == first and count_promotions(world, tag) == (1, 1, 1)
    audit = kfm_bot("zones", "audit", "--repo", ci, "--format", "json")
    assert audit.returncode == 0, audit.stdout + audit.stderr
    report = json.loads(audit.stdout)
    assert (report["named"], report["listed"], report["stray"]) == (1, 1, [])
    assert SECRET_KEY not in done.stdout + done.stderr + audit.stdout + audit.stderr
