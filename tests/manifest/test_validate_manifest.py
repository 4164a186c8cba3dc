"""`kfm-bot manifest validate FILE [--workspace DIR]`: schema, contract and bytes. Each file
under tests/examples/manifests/invalid/ prints exactly its `.expect` (the last line is the
exit code); the valid example passes with and without its workspace."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kfm_bot.digests import verify_workspace_file
from tests.manifest.support import EXAMPLES, VALID, WORKSPACE, kfm

INVALID = sorted((EXAMPLES / "invalid").glob("*.json"))


def test_the_valid_example_passes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(EXAMPLES)
    run = kfm(capsys, "manifest", "validate", "valid/example_events.json")
    assert (run.code, run.err) == (0, "")
    assert run.out.endswith("valid promotion manifest v1 (2 artifacts, 3 catalogs)\n")
    run = kfm(
        capsys, "manifest", "validate", "valid/example_events.json", "--workspace", "workspace"
    )
    assert (run.code, run.err) == (0, "")
    assert run.out.endswith("(2 artifacts, 3 catalogs; 5 digests match workspace)\n")


@pytest.mark.parametrize("manifest", INVALID, ids=lambda p: p.stem)
def test_each_invalid_example_prints_its_located_errors(
    manifest: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    *lines, last = manifest.with_suffix(".expect").read_text().splitlines()
    monkeypatch.chdir(EXAMPLES)
    run = kfm(
        capsys, "manifest", "validate", f"invalid/{manifest.name}", "--workspace", "workspace"
    )
    assert (run.out.splitlines(), f"exit {run.code}", run.err) == (lines, last, "")


def test_a_symlink_out_of_the_workspace_is_refused_even_with_the_right_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    workspace = tmp_path / "workspace"
    shutil.copytree(WORKSPACE, workspace)
    outside = tmp_path / "elsewhere.csv"
    target = workspace / "data/processed/events.csv"
    outside.write_bytes(target.read_bytes())  # same digest: only the path gives it away
    target.unlink()
    target.symlink_to(outside)
    run = kfm(capsys, "manifest", "validate", VALID, "--workspace", workspace)
    assert run.code == 1
    assert (
        f"{VALID}: $.artifacts[0]: data/processed/events.csv: a symlink that leaves the workspace\n"
        in run.out
    )


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["nothing.json"], "nothing.json: cannot read the promotion manifest (no such file)"),
        (["workspace"], "workspace: cannot read the promotion manifest (not a regular file)"),
        (
            ["valid/example_events.json", "--workspace", "nowhere"],
            "--workspace nowhere: not a directory",
        ),
    ],
)
def test_unusable_arguments_are_usage_errors(
    args: list[str],
    error: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(EXAMPLES)
    run = kfm(capsys, "manifest", "validate", *args)
    assert (run.code, run.out, run.err) == (2, "", f"kfm-bot: error: {error}\n")


@pytest.mark.parametrize(
    ("rel", "kind"),
    [
        ("/etc/passwd", "escapes"),
        ("data/../../x", "escapes"),
        ("data//events.csv", "escapes"),
        ("data\\processed", "escapes"),
        ("data/processed", "not-a-file"),
        ("data/processed/none.csv", "missing"),
        ("data/processed/events.csv", "mismatch"),
    ],
)
def test_artifact_digest_check_judges_the_path_itself(rel: str, kind: str) -> None:
    problem = verify_workspace_file(WORKSPACE, rel, "sha256:" + "0" * 64)
    assert problem is not None and problem.kind == kind


def test_artifact_digest_check_passes_matching_bytes() -> None:
    from kfm_bot.digests import digest_file

    path = WORKSPACE / "data/processed/events.geojson"
    found = digest_file(path)
    assert found.size == path.stat().st_size
    assert verify_workspace_file(WORKSPACE, "data/processed/events.geojson", found.digest) is None
