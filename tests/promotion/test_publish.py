"""Promotion publishes: processed -> published/sha256/<hex>, verified, never overwritten,
resumable after a SIGKILL at any step; `kfm-bot zones audit` finds stray and missing objects."""

from __future__ import annotations

import json
import signal
from pathlib import Path
from typing import Any

import pytest

from tests.cli import kfm_bot
from tests.github.world import World
from tests.promotion.world import clone, count_promotions, merge, promote, tag_of
from tests.promotion.zone_world import (
    DATA,
    KEY,
    URI,
    digest,
    file_zones,
    published_key,
    publishing_change,
    put,
    remote_manifest,
)

pytestmark = pytest.mark.slow


def _audit(where: Path, *args: str) -> tuple[int, dict[str, Any]]:
    done = kfm_bot("zones", "audit", "--repo", where, "--format", "json", *args)
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


def test_promotion_publishes_the_artifact_and_the_manifest_records_it(world: World) -> None:
    processed, published = file_zones(world)
    put(processed, KEY, DATA)
    sha = merge(world, publishing_change(world, "Published", "pub"), "squash")
    tag = tag_of(world, "ks_water_wells", sha)
    ci = clone(world, "ci")
    key = published_key(DATA)
    dry = promote(world, ci, "--dry-run")
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert f"  publish {URI} -> published/{key}  {digest(DATA)}" in dry.stdout
    assert not published.exists()  # a dry run writes nothing
    done = promote(world, ci, "--push")
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"published {URI} -> published/{key} ({digest(DATA)}, {len(DATA)} bytes)" in (
        done.stdout
    )
    assert (published / key).read_bytes() == DATA
    artifacts = remote_manifest(world, tag)["artifacts"]
    assert {
        "uri": f"published/{key}",
        "source": URI,
        "digest": digest(DATA),
        "media_type": "application/geo+json",
        "size": len(DATA),
    } in artifacts  # type: ignore[operator]
    assert count_promotions(world, tag) == (1, 1, 1)

    # The audit: clean; then a stray object and a damaged published one are both named.
    code, report = _audit(ci)
    assert (code, report["stray"], report["missing"], report["named"]) == (0, [], [], 1)
    put(published, "sha256/" + "0" * 64, b"dropped in by hand")
    (published / key).write_bytes(DATA[:-1] + b"!")
    code, report = _audit(ci)
    assert code == 1
    assert report["stray"] == [{"uri": "published/sha256/" + "0" * 64, "size": 18}]
    missing = report["missing"]
    assert [(m["uri"], m["status"]) for m in missing] == [(f"published/{key}", "digest-mismatch")]
    text = kfm_bot("zones", "audit", "--repo", ci)
    assert text.returncode == 1
    assert f"published/{key}: digest-mismatch: named by registry/promotions/{tag}/" in text.stdout
    assert "1 stray, 1 missing" in text.stdout


def test_other_bytes_at_the_published_key_stop_the_promotion(world: World) -> None:
    processed, published = file_zones(world)
    put(processed, KEY, DATA)
    key = published_key(DATA)
    put(published, key, b"someone else's bytes")
    sha = merge(world, publishing_change(world, "Clash", "clash"), "squash")
    tag = tag_of(world, "ks_water_wells", sha)
    done = promote(world, clone(world, "ci"), "--push")
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"published/{key} holds other bytes" in done.stderr
    assert "never overwritten; ks_water_wells/" in done.stderr and "…\n" not in done.stderr
    assert (published / key).read_bytes() == b"someone else's bytes"
    assert count_promotions(world, tag) == (0, 0, 0)


STEPS = (
    "object-staged",
    "object-copied",
    "files-written",
    "commit-made",
    "tag-created",
    "commit-and-tag-pushed",
)


def test_killed_at_every_publishing_step_then_rerun_publishes_and_lands_once(world: World) -> None:
    """A real SIGKILL at each step, each run from a fresh clone: the object is copied once
    (its inode never changes after the first copy), then one commit, tag and ledger line."""
    processed, published = file_zones(world)
    put(processed, KEY, DATA)
    sha = merge(world, publishing_change(world, "Killed", "kill"), "squash")
    tag = tag_of(world, "ks_water_wells", sha)
    target = published / published_key(DATA)
    inode = None
    for n, step in enumerate(STEPS):
        ci = clone(world, f"ci{n}")
        done = promote(world, ci, "--push", kill_after=step)
        assert done.returncode == -signal.SIGKILL, (step, done.stdout, done.stderr)
        if step == "object-staged":
            assert not target.exists()  # bytes in the staging area only, never half an object
            continue
        inode = inode or target.stat().st_ino
        assert target.stat().st_ino == inode and target.read_bytes() == DATA, step
    done = promote(world, clone(world, "ci"), "--push")
    assert done.returncode == 0, done.stdout + done.stderr
    assert count_promotions(world, tag) == (1, 1, 1)
    assert target.stat().st_ino == inode
    code, report = _audit(clone(world, "audit"))
    assert (code, report["stray"], report["missing"]) == (0, [], [])


WELLS = (
    json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"well": "KGS-1"},
                    "geometry": {"type": "Point", "coordinates": [-95.23531, 38.97172]},
                }
            ],
        }
    ).encode()
    + b"\n"
)


def test_a_rendered_export_reads_what_promotion_published(world: World, tmp_path: Path) -> None:
    """The manifest promotion writes names the object by `uri` (and its `source`), not `path`:
    the geojson_bundle target renders it from the published zone, named after its source."""
    processed, _ = file_zones(world)
    put(processed, KEY, WELLS)
    sha = merge(world, publishing_change(world, "Published wells", "wells", WELLS), "squash")
    tag = tag_of(world, "ks_water_wells", sha)
    ci = clone(world, "ci")
    done = promote(world, ci, "--push")
    assert done.returncode == 0, done.stdout + done.stderr
    fresh = clone(world, "reader")
    slug, _, version = tag.partition("/")
    args = ("export", "--repo", fresh, "--slug", slug, "--version", version)
    out = tmp_path / "bundle"
    dry = kfm_bot(*args, "--target", "geojson_bundle", "--out", out, "--dry-run")
    assert dry.returncode == 0, dry.stdout + dry.stderr
    rendering = f"bundle/{KEY}"
    assert f"  render   published/{published_key(WELLS)} -> {rendering}" in dry.stdout
    assert not out.exists()
    done = kfm_bot(*args, "--target", "geojson_bundle", "--out", out)
    assert done.returncode == 0, done.stdout + done.stderr
    items = json.loads((out / "pack_manifest.json").read_text())["items"]
    (rendered,) = [i for i in items if i.get("path") == rendering]
    assert rendered["source"] == f"published/{published_key(WELLS)}"
    assert rendered["source_digest"] == digest(WELLS)
    line = (out / rendering).read_text()
    assert '"coordinates":[-95.235310,38.971720]' in line  # 6 places without a plan
    assert kfm_bot("verify", out, "--repo", fresh).returncode == 0
