"""geojson_bundle names each rendering after the manifest's `source` key. A promotion manifest
whose source keys collide as file and folder, run past the file system's name length, or
name only a suffix must still end as a clear located result: never an internal error, never
a half-written pack, never a file outside `bundle/`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.export.bundle_world import PUBLIC, PUBLIC_SOURCE, bundle_world, encoded, put
from tests.export.conftest import Kfm
from tests.export.test_geojson_bundle import bundle


def _artifacts(zone: Path, *sources: str) -> list[dict[str, Any]]:
    out = []
    for n, source in enumerate(sources):
        doc = dict(PUBLIC_SOURCE, features=[dict(PUBLIC_SOURCE["features"][0], id=n + 1)])
        artifact = put(zone, PUBLIC, encoded(doc))
        artifact["source"] = source
        out.append(artifact)
    return out


def _export(tmp_path: Path, kfm: Kfm, *sources: str) -> tuple[int, str, Path]:
    world = tmp_path / "w"
    zone = world / "published"
    zone.mkdir(parents=True)
    repo, _, versions = bundle_world(world, {PUBLIC: _artifacts(zone, *sources)})
    out = tmp_path / "pack"
    done = bundle(kfm, repo, zone, PUBLIC, versions[PUBLIC], out)
    assert "internal error" not in done.err, done.err
    return done.code, done.err, out


def _items(out: Path) -> dict[str, dict[str, Any]]:
    items = json.loads((out / "pack_manifest.json").read_bytes())["items"]
    return {i["source"]: i for i in items}


def _withheld(out: Path) -> list[str]:
    return sorted(i["reason"] for i in _items(out).values() if i["state"] == "withheld")


def _rendered(out: Path) -> list[str]:
    return sorted(i["path"] for i in _items(out).values() if i.get("path"))


def test_a_rendering_and_a_folder_of_the_same_name(tmp_path: Path, kfm: Kfm) -> None:
    code, err, out = _export(tmp_path, kfm, "processed/p.geojson", "processed/p.geojson/q.json")
    assert code == 0, err
    assert _rendered(out) == ["bundle/p.geojson"] and (out / "bundle/p.geojson").is_file()
    reasons = _withheld(out)
    assert any("another artifact already renders to bundle/p.geojson" in r for r in reasons)


def test_renderings_that_differ_only_in_case(tmp_path: Path, kfm: Kfm) -> None:
    code, err, out = _export(tmp_path, kfm, "processed/Roads.geojson", "processed/roads.geojson")
    assert code == 0, err
    assert len(_rendered(out)) == 1
    assert any("already renders to bundle/Roads.geojson" in r for r in _withheld(out))


def test_a_source_key_too_long_for_a_file_name(tmp_path: Path, kfm: Kfm) -> None:
    code, err, out = _export(tmp_path, kfm, "processed/" + "a" * 300 + ".geojson")
    assert code == 0, err
    assert not any(p.startswith("bundle/aaa") for p in _rendered(out))
    assert any("longer than 200 bytes" in r for r in _withheld(out))
