"""A pipeline outside GitHub runs the promotion contract as processes: validate the dataset,
build the manifest, check the manifest against the bytes; each step's exit code gates the next."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.cli import kfm_bot
from tests.gitrepo import CONTENT_DIRS, PROJECT
from tests.manifest.support import VALID, WORKSPACE, build_args, inputs_copy

pytestmark = pytest.mark.slow


def test_a_pipeline_validates_builds_and_verifies(tmp_path: Path) -> None:
    repo = tmp_path / "checkout"
    for name in CONTENT_DIRS:
        shutil.copytree(PROJECT / name, repo / name)
    gates = kfm_bot("validate", "--dataset", "ks_county_boundaries", cwd=repo)
    assert gates.returncode == 0, gates.stdout + gates.stderr
    assert "conclusion: success" in gates.stdout

    work = tmp_path / "inputs"
    args = inputs_copy(work)
    built = kfm_bot(*build_args(args, "promotion_manifest.json"), cwd=work)
    assert (built.returncode, built.stderr) == (0, "")
    assert (work / "promotion_manifest.json").read_bytes() == VALID.read_bytes()

    checked = kfm_bot(
        "manifest", "validate", "promotion_manifest.json", "--workspace", WORKSPACE, cwd=work
    )
    assert checked.returncode == 0, checked.stdout
    assert "5 digests match" in checked.stdout


def test_bad_input_ends_the_process_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    work = tmp_path / "inputs"
    args = inputs_copy(work)
    (work / "qa.json").write_bytes(b"\xff\xfe not json")
    built = kfm_bot(*build_args(args), cwd=work)
    assert built.returncode == 2
    assert built.stderr == "kfm-bot: error: qa.json: the QA report is not UTF-8 (byte 0)\n"
    assert not (work / "out.json").exists()
