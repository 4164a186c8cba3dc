"""`kfm-bot zones audit` on a plain repository: stray objects, unreadable manifests, formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.gitrepo import commit_all, init_example_repo
from tests.manifest.support import kfm
from tests.zones.world import storage_yaml

MANIFEST = "registry/promotions/ks_water_wells/2026-11.0123abcd/promotion_manifest.json"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = init_example_repo(tmp_path / "repo")
    zones = tmp_path / "zones"
    (repo / "policies/storage.yaml").write_text(
        storage_yaml(f"file://{zones}/processed", f"file://{zones}/published")
    )
    commit_all(repo, "zones")
    return repo


def test_an_empty_published_zone_is_clean(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = kfm(capsys, "zones", "audit", "--repo", repo)
    assert run.code == 0, run.err
    assert "zones audit ok: 0 objects named by promotion manifests at " in run.out


def test_an_object_no_manifest_names_is_stray(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stray = repo.parent / "zones/published/sha256/ab"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"put here by hand")
    run = kfm(capsys, "zones", "audit", "--repo", repo, "--format", "json")
    assert run.code == 1
    report = json.loads(run.out)
    assert report["stray"] == [{"uri": "published/sha256/ab", "size": 16}]
    assert (report["named"], report["listed"], report["missing"]) == (0, 1, [])


def test_an_unreadable_manifest_is_one_located_error(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = repo / MANIFEST
    path.parent.mkdir(parents=True)
    path.write_text('{"artifacts": [{"uri": "published"}]}\n')
    commit_all(repo, "a hand-edited manifest")
    run = kfm(capsys, "zones", "audit", "--repo", repo)
    assert run.code == 1
    assert run.err.startswith(f"kfm-bot: error: {MANIFEST}: not a readable promotion manifest")
    assert "Traceback" not in run.err
