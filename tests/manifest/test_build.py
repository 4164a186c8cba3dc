"""`kfm-bot manifest build`: every case under tests/examples/manifests/build/ fails with its
exact one-line error and writes nothing; the base inputs give the committed valid manifest."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.manifest.support import BASE, EXAMPLES, VALID, build_args, inputs_copy, kfm

CASES = sorted(p for p in (EXAMPLES / "build").iterdir() if p.name != "base")
OLD = b'{"an": "earlier manifest"}\n'


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_invalid_inputs_fail_closed_with_their_error(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    expect = json.loads((case / "expect.json").read_text())
    work = tmp_path / "in"
    args = inputs_copy(work, case)
    (work / "out.json").write_bytes(OLD)  # an earlier run's manifest must survive a failure
    before = sorted(os.listdir(work))
    monkeypatch.chdir(work)
    run = kfm(capsys, *build_args(args))
    assert (run.code, run.err, run.out) == (expect["exit"], expect["stderr"] + "\n", "")
    assert "Traceback" not in run.err
    assert (work / "out.json").read_bytes() == OLD
    assert sorted(os.listdir(work)) == before  # no temporary file left behind


def test_base_inputs_build_the_committed_manifest_deterministically(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    work = tmp_path / "in"
    args = inputs_copy(work)
    monkeypatch.chdir(work)
    first = kfm(capsys, *build_args(args, "one.json"))
    # The same entries in another order, another key order: the same bytes.
    artifacts = json.loads((BASE / "artifacts.json").read_text())["artifacts"]
    (work / "artifacts.json").write_text(json.dumps(artifacts[::-1]))
    catalogs = json.loads((BASE / "catalogs.json").read_text())
    (work / "catalogs.json").write_text(json.dumps({"catalogs": catalogs[::-1]}, indent=4))
    second = kfm(capsys, *build_args(args, "two.json"))
    assert (first.code, second.code, first.err) == (0, 0, "")
    expected = VALID.read_bytes()
    assert (work / "one.json").read_bytes() == expected
    assert (work / "two.json").read_bytes() == expected
    from kfm_bot.canonical import sha256_digest

    assert first.out == f"{sha256_digest(expected)}  one.json\n"


def test_a_failed_write_leaves_the_old_manifest_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    work = tmp_path / "in"
    args = inputs_copy(work)
    (work / "out.json").write_bytes(OLD)
    before = sorted(os.listdir(work))
    monkeypatch.chdir(work)

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    run = kfm(capsys, *build_args(args))
    assert run.code == 2
    assert run.err == "kfm-bot: error: out.json: cannot write (No space left on device)\n"
    assert (work / "out.json").read_bytes() == OLD
    assert sorted(os.listdir(work)) == before


@pytest.mark.parametrize(
    ("out", "error"),
    [
        ("missing/dir/out.json", "out.json: the directory missing/dir does not exist"),
        (".", ".: is a directory; --out names the file to write"),
    ],
)
def test_an_unusable_out_is_a_usage_error(
    out: str,
    error: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    work = tmp_path / "in"
    args = inputs_copy(work)
    monkeypatch.chdir(work)
    run = kfm(capsys, *build_args(args, out))
    assert run.code == 2
    assert run.err.startswith("kfm-bot: error: ") and run.err.endswith(error + "\n")
