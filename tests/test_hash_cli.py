"""`kfm-bot hash FILE...`: hashes on stdout, located findings on stderr, exit codes 0/1/2."""

from __future__ import annotations

import subprocess
from pathlib import Path

from kfm_bot.canonical import spec_hash
from kfm_bot.yaml.strict import load_strict
from tests.cli import kfm_bot

GOOD = b"kfm_pipeline_spec_version: v1\ndataset_slug: ks_water_wells\nsources: [a-b, c-d]\n"


def kfm(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return kfm_bot(*args, cwd=cwd, timeout=30)


def test_prints_the_spec_hash_of_each_file(tmp_path: Path) -> None:
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "a.yaml").write_bytes(GOOD)
    flow = b'{"sources": ["a-b", "c-d"], dataset_slug: ks_water_wells,\r\n'
    (tmp_path / "b.yaml").write_bytes(flow + b" kfm_pipeline_spec_version: 'v1'}  # same\r\n")
    done = kfm("hash", "specs/a.yaml", "b.yaml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    digest = spec_hash(load_strict(GOOD, "a").data or {})
    assert done.stdout == f"{digest}  specs/a.yaml\n{digest}  b.yaml\n"
    assert done.stderr == ""


def test_rejected_file_gives_exit_1_and_keeps_hashing_the_others(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_bytes(b"a: 1\nb: 2024-01-01\na: 3\n")
    (tmp_path / "good.yaml").write_bytes(GOOD)
    done = kfm("hash", "bad.yaml", "good.yaml", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.endswith("  good.yaml\n") and "bad.yaml" not in done.stdout
    # The one finding line of every command (report/finding_lines.py): `check` and `validate`
    # print the same shape, so hash lost the colon after `]` it alone had.
    assert done.stderr.splitlines() == [
        "bad.yaml:2:4: error[A.yaml-unquoted-date] unquoted date or timestamp 2024-01-01"
        " is not a JSON value; quote it: '2024-01-01'",
        "bad.yaml:3:1: error[A.yaml-duplicate-key] duplicate key 'a'; keep only one of them",
    ]


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_bytes(GOOD)
    done = kfm("hash", "good.yaml", "missing.yaml", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "missing.yaml" in done.stderr and "Traceback" not in done.stderr


def test_directory_and_no_argument(tmp_path: Path) -> None:
    directory = kfm("hash", ".", cwd=tmp_path)
    assert directory.returncode == 2
    assert directory.stderr == "kfm-bot: error: not a regular file: .\n"
    assert kfm("hash", cwd=tmp_path).returncode == 2
