"""The demo is the end-to-end test: a PR's whole life, from a failing check to a release tag."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.cli import kfm_bot

pytestmark = pytest.mark.slow  # over a second a test: left out of `make test-fast`


def test_demo_runs_from_pr_to_tag_and_keeps_its_workdir(tmp_path: Path) -> None:
    workdir = tmp_path / "demo"
    proc = kfm_bot("demo", "--workdir", workdir, timeout=600)
    out = proc.stdout
    assert proc.returncode == 0, out[-3000:] + proc.stderr[-3000:]
    assert "Traceback" not in out + proc.stderr
    # part one: the local check fails on the mistake, then passes
    assert "error[A.floating-version]" in out and "### kfm-bot gates: All gates passed" in out
    # part two: a failing gates check run with its annotation, then green checks after review
    assert "✗ kfm-bot / gates: failure" in out and "[failure]" in out
    assert "✓ kfm-bot / approvals: success" in out and "✓ kfm-bot / gates: success" in out
    # a forged approvals run by another app, reported by the bot
    assert "Forged check run reported: run " in out and "made by `ci-helper`" in out
    # part three: promotion, tag, ledger
    assert "Kfm-Manifest-Digest: sha256:" in out and "ledger ok" in out
    assert "assets: promotion_manifest.json (" in out and "promotion_statement.dsse.json (" in out
    # the signed promotion statement, verified offline against the trusted keys in policies/
    assert "signed promotion statement registry/promotions/" in out
    assert "signed by key kfm-demo-bot, valid at its released_at" in out
    # the zone artifact: written to the processed zone, published content-addressed, audited
    seats = "processed/ks_county_seats/ks_county_seats.geojson"
    assert f"published {seats} -> published/sha256/" in out
    assert "zones audit ok: 1 object named by promotion manifests" in out
    assert len(list((workdir / "zones" / "published" / "sha256").iterdir())) == 1
    # the export pack of the promoted version, and its tarball verified
    assert "pack_hash sha256:" in out and "export_receipt.json" in out
    pack_hash = out.split("pack_hash ")[1].split()[0]
    assert f"\n    ok {pack_hash}\n" in out
    assert (workdir / "export.tar.gz").is_file()
    # the rendered geojson_bundle: from the published zone, generalised to the plan's 2 places
    rendering = "bundle/ks_county_seats/ks_county_seats.geojson"
    assert "      render   published/sha256/" in out and f" -> {rendering}\n" in out
    assert "    generalised  published/sha256/" in out
    line = '"properties":{"county":"Douglas","name":"Lawrence"},'
    assert line + '"geometry":{"type":"Point","coordinates":[-95.24,38.97]}}' in out
    assert (workdir / "bundle" / rendering).read_text().count("[-95.") == 2
    assert "-95.2353" not in (workdir / "bundle" / rendering).read_text()  # four places stay home
    assert "2 features read, 2 written, 0 suppressed, 4 coordinates rounded" in out
    assert (workdir / "bundle.tar.gz").is_file()
    tags = subprocess.run(
        ["git", "tag", "--list"],
        cwd=workdir / "published",
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert [t for t in tags if t.startswith("ks_county_seats/2026-")]
    assert (workdir / "github" / "state.json").is_file()


def test_demo_refuses_a_workdir_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "something").write_text("keep me\n")
    proc = kfm_bot("demo", "--workdir", tmp_path, timeout=60)
    assert proc.returncode == 2 and "is not empty" in proc.stderr
    assert (tmp_path / "something").read_text() == "keep me\n"


def test_demo_s3_runs_the_same_life_on_seaweedfs(tmp_path: Path) -> None:
    proc = kfm_bot("demo", "--s3", "--workdir", tmp_path / "demo", timeout=900)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-3000:]
    assert "weed server -s3 at http://127.0.0.1:" in out
    assert "policies/storage.yaml names the zones:\nprocessed s3://kfm/governed-data/processed" in (
        out
    )
    assert "published processed/ks_county_seats/ks_county_seats.geojson -> published/sha256/" in out
    assert "zones audit ok: 1 object named by promotion manifests" in out
    # the rendered export reads the published objects from the bucket
    assert "[-95.24,38.97]" in out and "generalised  published/sha256/" in out
    assert "kfm-seaweed-test-secret" not in out  # the credential reaches no output
