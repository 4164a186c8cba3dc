"""`kfm-bot export --target geojson_bundle` from an s3:// published zone (SeaweedFS): the zone
is the one storage.yaml names at the promotion commit, and the pack is byte-identical to the
one rendered from a file:// copy of the same objects."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from kfm_bot.zones.config import zone_from_url
from kfm_bot.zones.store import ZoneStore
from tests.export import conftest as export_fixtures
from tests.export.bundle_world import PUBLIC, RESTRICTED, bundle_world
from tests.export.conftest import Kfm
from tests.zones.seaweed import SECRET_KEY, S3Server

pytestmark = pytest.mark.slow
kfm = export_fixtures.kfm  # the in-process CLI of the export tests


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_a_bundle_rendered_from_s3_is_byte_identical_to_the_file_one(
    s3_server: S3Server, monkeypatch: pytest.MonkeyPatch, kfm: Kfm, tmp_path: Path
) -> None:
    for name, value in s3_server.env().items():
        monkeypatch.setenv(name, value)
    url = f"s3://kfm/{uuid.uuid4().hex[:12]}/published"
    repo, zone, versions = bundle_world(tmp_path / "w", published_url=url)
    store = ZoneStore(zone_from_url("published", url, repo))
    for path in sorted(p for p in zone.rglob("*") if p.is_file()):
        store.put_if_absent(path.relative_to(zone).as_posix(), [path.read_bytes()])
    packs = {}
    for name, extra in (("s3", []), ("file", ["--published-zone", zone.as_uri()])):
        out = tmp_path / name
        args = ["--slug", RESTRICTED, "--version", versions[RESTRICTED], "--out", out]
        done = kfm(
            "export", "--repo", repo, *args, "--label", "restricted",
            "--target", "geojson_bundle", "--tarball", *extra,
        )  # fmt: skip
        assert done.code == 0, done.err
        assert SECRET_KEY not in done.out + done.err
        packs[name] = (_files(out), (tmp_path / f"{name}.tar.gz").read_bytes())
    assert packs["s3"] == packs["file"]
    assert any(p.startswith("bundle/") for p in packs["s3"][0])
    assert PUBLIC in versions
