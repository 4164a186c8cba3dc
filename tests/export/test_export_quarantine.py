"""A promoted version built on a source that is quarantined now is not exported.

The quarantine is read at the repository's current head, not at the version's promotion commit
(where the source was still active): a steward quarantines after the fact, and export obeys.
"""

from __future__ import annotations

from pathlib import Path

from tests.export.conftest import PUBLIC, Kfm, export
from tests.export.promoted_repo import promote
from tests.gitrepo import commit_all, git, init_example_repo
from tests.test_quarantine_check import quarantine

WELLS = "ks_water_wells"  # built on kgs-water-wells and us-census-tiger-counties


def test_a_version_on_a_source_quarantined_after_promotion_is_not_exported(
    kfm: Kfm, tmp_path: Path
) -> None:
    repo = init_example_repo(tmp_path / "repo")
    version, _ = promote(repo, WELLS)
    assert export(kfm, repo, WELLS, version, tmp_path / "before").code == 0
    quarantine(repo)
    commit_all(repo, "quarantine kgs-water-wells")
    done = export(kfm, repo, WELLS, version, tmp_path / "after")
    assert done.code == 1, done.out + done.err
    assert f"{WELLS}/{version} is blocked" in done.err and "kgs-water-wells" in done.err
    assert "export is refused" in done.err and "Traceback" not in done.err
    assert not (tmp_path / "after").exists()
    # An older --ref, from before the quarantine, does not get around it: HEAD is read too.
    done = export(kfm, repo, WELLS, version, tmp_path / "old", "--ref", "HEAD~1")
    assert done.code == 1 and "is blocked" in done.err


def test_a_version_whose_sources_are_not_quarantined_still_exports(
    kfm: Kfm, tmp_path: Path
) -> None:
    repo = init_example_repo(tmp_path / "repo")
    version, _ = promote(repo, PUBLIC)  # ks_county_boundaries: tiger counties only
    quarantine(repo)
    commit_all(repo, "quarantine kgs-water-wells")
    assert export(kfm, repo, PUBLIC, version, tmp_path / "pack").code == 0


def test_lifting_the_quarantine_lets_the_version_export_again(kfm: Kfm, tmp_path: Path) -> None:
    repo = init_example_repo(tmp_path / "repo")
    version, _ = promote(repo, WELLS)
    quarantine(repo)
    commit_all(repo, "quarantine")
    git(repo, "revert", "--no-edit", "HEAD")
    assert export(kfm, repo, WELLS, version, tmp_path / "pack").code == 0
