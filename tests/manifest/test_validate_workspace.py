"""`kfm-bot validate`: gates A-F on one dataset of a pipeline's workspace (no git needed)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.gitrepo import CONTENT_DIRS, PROJECT
from tests.manifest.support import kfm

SLUG = "ks_county_boundaries"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """The example content as a plain directory, the way a pipeline's checkout holds it."""
    root = tmp_path / "ws"
    for name in CONTENT_DIRS:
        shutil.copytree(PROJECT / name, root / name)
    return root


def test_a_good_dataset_passes_gates_a_to_f(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = kfm(capsys, "validate", "--workspace", workspace, "--dataset", SLUG, "--format", "json")
    assert (run.code, run.err) == (0, "")
    report = json.loads(run.out)
    assert [g["gate"] for g in report["gates"]] == ["A", "B", "C", "D", "E", "F"]
    assert report["conclusion"] == "success"
    assert [d["dataset_slug"] for d in report["datasets"]] == [SLUG]


def test_changed_bytes_fail_gate_e_with_a_located_finding(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fixture = next((workspace / "specs" / SLUG / "fixtures").iterdir())
    fixture.write_bytes(fixture.read_bytes().replace(b"Kansas", b"Kanzas", 1) + b" ")
    run = kfm(capsys, "validate", "--workspace", workspace, "--dataset", SLUG)
    assert run.code == 1
    assert run.out.startswith(f"validated {SLUG} (sha256:")
    assert "gate E (run receipts and checksums): fail" in run.out
    assert f"specs/{SLUG}/receipts/" in run.out and "error[E.digest-mismatch]" in run.out
    assert run.out.endswith("conclusion: failure\n")


def test_only_the_named_dataset_is_judged(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workspace / "specs/ks_water_wells/spec.yaml").write_text("not: [valid\n")
    run = kfm(capsys, "validate", "--workspace", workspace, "--dataset", SLUG)
    assert run.code == 0, run.out
    assert "ks_water_wells" not in run.out


def test_a_symlink_in_the_dataset_fails_gate_a(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workspace / "specs" / SLUG / "fixtures" / "extra.csv").symlink_to("/etc/hostname")
    run = kfm(capsys, "validate", "--workspace", workspace, "--dataset", SLUG)
    assert run.code == 1
    assert f"specs/{SLUG}/fixtures/extra.csv:1:1: error[A.symlink]" in run.out


def test_a_version_id_of_another_spec_is_refused(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args: list[str | Path] = ["validate", "--workspace", workspace, "--dataset", SLUG]
    run = kfm(capsys, *args, "--dataset-version-id", "2026-11.00000000")
    assert run.code == 1 and run.out == ""
    assert run.err.startswith(
        f"kfm-bot: error: --dataset-version-id 2026-11.00000000 is not a version of {SLUG}"
    )
    spec_hash = json.loads(kfm(capsys, *args, "--format", "json").out)["datasets"][0]["spec_hash"]
    assert kfm(capsys, *args, "--dataset-version-id", f"2026-11.{spec_hash[7:15]}").code == 0


@pytest.mark.parametrize(
    ("args", "error"),
    [
        ([], "name the dataset with --dataset (archaeo_site_density, ks_county_boundaries"),
        (["--dataset", "no_such_set"], "no specs/no_such_set/spec.yaml"),
        (["--dataset", SLUG, "--dataset-version-id", "latest"], "'latest' does not match"),
    ],
)
def test_usage_errors_name_the_problem(
    args: list[str], error: str, workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = kfm(capsys, "validate", "--workspace", workspace, *args)
    assert run.code == 2 and run.out == "" and error in run.err
    assert run.err.startswith("kfm-bot: error: ") and "Traceback" not in run.err


def test_a_dataset_directory_is_not_a_workspace(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = kfm(capsys, "validate", "--workspace", workspace / "specs" / SLUG)
    assert run.code == 2
    assert "is a dataset directory; pass the directory laid out like the repository" in run.err
    run = kfm(capsys, "validate", "--workspace", workspace / "nowhere")
    assert (run.code, run.err) == (
        2,
        f"kfm-bot: error: --workspace {workspace / 'nowhere'}: not a directory\n",
    )
