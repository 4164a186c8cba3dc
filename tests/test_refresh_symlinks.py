"""`kfm-bot refresh` in a checkout of a hostile contributor's branch: planted symlinks and
provenance subjects must not make it write, or publish the digest of, a file outside."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.test_scaffold import contribute, init, kfm

pytestmark = pytest.mark.slow  # subprocesses

PRECIOUS = "a maintainer's file outside the repository\n"


@pytest.fixture(scope="module")
def contributed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("refresh") / "gov"
    assert init(repo).returncode == 0
    contribute(repo)
    return repo


@pytest.fixture
def repo(contributed: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "gov"
    shutil.copytree(contributed, copy, symlinks=True)
    # the pipeline ran again: the output changed, so refresh has a receipt to rewrite
    (copy / "specs/ks_wells/fixtures/ks_wells_sample.geojson").write_text(
        '{"type": "FeatureCollection", "features": [], "x": 1}\n'
    )
    return copy


def _receipt(repo: Path) -> Path:
    return next((repo / "specs/ks_wells/receipts").glob("*.json"))


def _refused(repo: Path, needle: str) -> None:
    out = kfm("refresh", "ks_wells", cwd=repo)
    assert out.returncode == 2, (out.stdout, out.stderr)
    assert needle in out.stderr and "Traceback" not in out.stderr, out.stderr
    assert "internal error" not in out.stderr


def test_a_planted_temporary_file_link_is_not_written_through(repo: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text(PRECIOUS)
    receipt = _receipt(repo)
    (receipt.parent / f".{receipt.name}.kfm-tmp").symlink_to(victim)
    out = kfm("refresh", "ks_wells", cwd=repo)
    assert victim.read_text() == PRECIOUS
    if out.returncode == 0:  # refreshed: through a file of its own, the receipt stays a file
        assert not receipt.is_symlink() and json.loads(receipt.read_text())["run_id"]


def test_a_symlinked_receipts_folder_is_refused(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    shutil.move(repo / "specs/ks_wells/receipts", outside)
    (repo / "specs/ks_wells/receipts").symlink_to(outside)
    before = {p.name: p.read_bytes() for p in outside.iterdir()}
    _refused(repo, "specs/ks_wells/receipts is a symbolic link")
    assert {p.name: p.read_bytes() for p in outside.iterdir()} == before


def test_an_output_linked_outside_is_refused_not_hashed(repo: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.geojson"
    secret.write_text('{"type": "FeatureCollection", "features": [], "secret": "s3cr3t"}\n')
    output = repo / "specs/ks_wells/fixtures/ks_wells_sample.geojson"
    output.unlink()
    output.symlink_to(secret)
    before = _receipt(repo).read_bytes()
    _refused(repo, "fixtures/ks_wells_sample.geojson is a symbolic link")
    assert _receipt(repo).read_bytes() == before


@pytest.mark.parametrize("name", ["../../../outside.txt", "/etc/hostname", "fixtures/missing"])
def test_a_provenance_subject_outside_the_dataset_is_refused(
    repo: Path, tmp_path: Path, name: str
) -> None:
    (tmp_path / "outside.txt").write_text(PRECIOUS)
    statement = {
        "_type": "https://in-toto.io/Statement/v1",
        "subject": [{"name": name, "digest": {"sha256": "0" * 64}}],
        "predicateType": "https://slsa.dev/provenance/v1",
        "predicate": {},
    }
    path = repo / "specs/ks_wells/attestations/provenance.json"
    path.parent.mkdir()
    path.write_text(json.dumps(statement))
    before = _receipt(repo).read_bytes()
    _refused(repo, "subject[0].name")
    assert path.read_text() == json.dumps(statement) and _receipt(repo).read_bytes() == before


def test_a_malformed_provenance_statement_is_a_located_error(repo: Path) -> None:
    path = repo / "specs/ks_wells/attestations/provenance.json"
    path.parent.mkdir()
    path.write_text('{"subject": [{"name": "fixtures/ks_wells_sample.geojson"}]}')
    _refused(repo, "attestations/provenance.json: not an in-toto statement")


def test_a_deeply_nested_receipt_is_a_located_error(repo: Path) -> None:
    _receipt(repo).write_text("[" * 200_000 + "]" * 200_000)
    _refused(repo, "not a valid run receipt")
