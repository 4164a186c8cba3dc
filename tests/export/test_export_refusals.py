"""Export refuses anything but a promoted, intact version that the target label may hold."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.export.conftest import PUBLIC, RESTRICTED, Kfm, export
from tests.export.promoted_repo import promote
from tests.gitrepo import commit_all, git, init_example_repo


@pytest.mark.parametrize(("label", "code"), [("public", 1), ("internal", 1), ("restricted", 0)])
def test_a_restricted_version_goes_only_into_a_restricted_pack(
    promoted: tuple[Path, dict[str, str]], kfm: Kfm, tmp_path: Path, label: str, code: int
) -> None:
    repo, versions = promoted
    out = tmp_path / "pack"
    done = export(kfm, repo, RESTRICTED, versions[RESTRICTED], out, "--label", label)
    assert done.code == code, done.err
    if code:
        assert "labelled 'restricted', more restricted than a" in done.err
        assert not out.exists()
    else:
        assert (out / "export_receipt.json").is_file()


def test_a_public_version_may_go_into_a_more_restricted_pack(
    promoted: tuple[Path, dict[str, str]], kfm: Kfm, tmp_path: Path
) -> None:
    repo, versions = promoted
    done = export(kfm, repo, PUBLIC, versions[PUBLIC], tmp_path / "p", "--label", "internal")
    assert done.code == 0, done.err


def test_an_unpromoted_version_exports_nothing(
    promoted: tuple[Path, dict[str, str]], kfm: Kfm, tmp_path: Path
) -> None:
    repo, _ = promoted
    done = export(kfm, repo, "ks_water_wells", "2026-11.0123abcd", tmp_path / "p")
    assert done.code == 1 and "is not promoted" in done.err and not (tmp_path / "p").exists()
    assert done.err.count("\n") == 1 and "Traceback" not in done.err


def test_a_version_promoted_after_the_ref_is_not_exported(
    promoted: tuple[Path, dict[str, str]], kfm: Kfm, tmp_path: Path
) -> None:
    repo, versions = promoted
    done = export(
        kfm,
        repo,
        RESTRICTED,
        versions[RESTRICTED],
        tmp_path / "p",
        "--ref",
        "HEAD~1",
        "--label",
        "restricted",
    )
    assert done.code == 1 and "the ledger at HEAD~1 has no line" in done.err


def test_a_manifest_edited_after_promotion_is_named(kfm: Kfm, tmp_path: Path) -> None:
    repo = init_example_repo(tmp_path / "repo")
    version, _ = promote(repo, PUBLIC)
    path = repo / f"registry/promotions/{PUBLIC}/{version}/promotion_manifest.json"
    path.write_text(path.read_text().replace('"approvals"', '"approvals" ', 1))
    commit_all(repo, "hand edit")
    done = export(kfm, repo, PUBLIC, version, tmp_path / "p")
    assert done.code == 1 and "manifest_digest" in done.err


def test_a_promotion_commit_that_lost_its_trailer_is_named(kfm: Kfm, tmp_path: Path) -> None:
    repo = init_example_repo(tmp_path / "repo")
    version, _ = promote(repo, PUBLIC)
    git(repo, "commit", "-q", "--amend", "-m", "Promote without trailer")
    done = export(kfm, repo, PUBLIC, version, tmp_path / "p")
    assert done.code == 1 and "no commit carries its promotion trailer" in done.err


def _artifact_path(manifest: dict[str, Any]) -> None:
    manifest["artifacts"][0]["path"] = "specs/ks_county_boundaries/fixtures/missing.geojson"


def _artifact_digest(manifest: dict[str, Any]) -> None:
    manifest["artifacts"][0]["digest"] = "sha256:" + "0" * 64


def _catalog_digest(manifest: dict[str, Any]) -> None:
    manifest["catalogs"][1]["digest"] = "sha256:" + "1" * 64


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (_artifact_path, "fixtures/missing.geojson is missing at the promotion commit"),
        (_artifact_digest, "ks_counties_sample.geojson at the promotion commit"),
        (_catalog_digest, "catalog/stac.json at the promotion commit"),
    ],
)
def test_files_that_do_not_match_the_manifest_are_named(
    kfm: Kfm, tmp_path: Path, edit: Any, message: str
) -> None:
    repo = init_example_repo(tmp_path / "repo")
    version, _ = promote(repo, PUBLIC, edit_manifest=edit)
    done = export(kfm, repo, PUBLIC, version, tmp_path / "p")
    assert done.code == 1 and message in done.err, done.err
    assert not (tmp_path / "p").exists()


def _no_label(doc: dict[str, Any]) -> None:
    del doc["policy"]["policy_label"]


def _unknown_label(doc: dict[str, Any]) -> None:
    doc["policy"]["policy_label"] = "secret"


def _decided_other_label(doc: dict[str, Any]) -> None:
    doc["policy_label"] = "restricted"


@pytest.mark.parametrize(
    ("edit_manifest", "edit_decision", "why"),
    [
        (_no_label, None, "names no policy label"),
        (_unknown_label, None, "'secret' has no rank"),
        (None, _decided_other_label, "name different labels"),
    ],
)
def test_unclear_sensitivity_exports_nothing(
    kfm: Kfm, tmp_path: Path, edit_manifest: Any, edit_decision: Any, why: str
) -> None:
    repo = init_example_repo(tmp_path / "repo")
    version, _ = promote(repo, PUBLIC, edit_manifest=edit_manifest, edit_decision=edit_decision)
    for label in ("public", "restricted"):
        done = export(kfm, repo, PUBLIC, version, tmp_path / "p", "--label", label)
        assert done.code == 1 and "is unclear" in done.err and why in done.err, done.err
        assert "nothing is exported" in done.err and not (tmp_path / "p").exists()


def test_labels_policy_missing_at_the_promotion_commit_exports_nothing(
    kfm: Kfm, tmp_path: Path
) -> None:
    repo = init_example_repo(tmp_path / "repo")
    git(repo, "rm", "-q", "policies/labels.yaml")
    commit_all(repo, "drop labels")
    version, _ = promote(repo, PUBLIC)
    done = export(kfm, repo, PUBLIC, version, tmp_path / "p")
    assert done.code == 1 and "policies/labels.yaml is missing" in done.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--label", "secret"), "--label 'secret' is not a label"),
        (("--ref", "no-such-ref"), "cannot resolve 'no-such-ref'"),
    ],
)
def test_usage_errors_exit_2(
    promoted: tuple[Path, dict[str, str]], kfm: Kfm, tmp_path: Path, args: Any, message: str
) -> None:
    repo, versions = promoted
    done = export(kfm, repo, PUBLIC, versions[PUBLIC], tmp_path / "p", *args)
    assert done.code == 2 and message in done.err, done.err


def test_an_out_folder_that_is_not_empty_is_left_alone(
    promoted: tuple[Path, dict[str, str]], kfm: Kfm, tmp_path: Path
) -> None:
    repo, versions = promoted
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "keep.txt").write_text("mine\n")
    done = export(kfm, repo, PUBLIC, versions[PUBLIC], tmp_path / "p")
    assert done.code == 2 and "not an empty directory" in done.err
    assert sorted(p.name for p in (tmp_path / "p").iterdir()) == ["keep.txt"]


def test_not_a_repository_exits_2(kfm: Kfm, tmp_path: Path) -> None:
    done = export(kfm, tmp_path, PUBLIC, "2026-11.0123abcd", tmp_path / "p")
    assert done.code == 2 and "is not a git repository" in done.err


def test_a_catalog_linking_to_a_file_nothing_promoted_exports_nothing(
    kfm: Kfm, tmp_path: Path
) -> None:
    """PROV may name any file of the dataset; one the manifest and spec do not bind stays home."""
    repo = init_example_repo(tmp_path / "repo")
    base = repo / "specs" / PUBLIC
    (base / "raw").mkdir()
    (base / "raw" / "exact.csv").write_text("lat,lon\n38.97,-95.23\n")
    prov = json.loads((base / "catalog/prov.json").read_text())
    prov["entity"]["kfm:file/raw/exact.csv"] = {
        "prov:type": "kfm:Input",
        "kfm:path": "raw/exact.csv",
    }
    (base / "catalog/prov.json").write_text(json.dumps(prov, indent=2) + "\n")
    commit_all(repo, "link a raw file")
    version, _ = promote(repo, PUBLIC)
    done = export(kfm, repo, PUBLIC, version, tmp_path / "p")
    assert done.code == 1 and "links to specs/ks_county_boundaries/raw/exact.csv" in done.err
    assert "nothing is exported" in done.err and not (tmp_path / "p").exists()
