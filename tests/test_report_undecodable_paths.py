"""A PR file name that is not UTF-8 must not break the machine-readable reports: `--format
json` and `--format sarif` stay valid UTF-8 JSON (code scanning upload, `jq` in a workflow)
and name the file, instead of an internal error or undecodable bytes."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from kfm_bot.findings import error
from kfm_bot.report.sarif import render
from tests.cli import KFM_BOT
from tests.gitrepo import commit_all, git, init_example_repo

NAME = b"registry/sources/bad\xff\xfe.yaml"


def test_sarif_keeps_the_undecodable_bytes_in_the_uri() -> None:
    path = os.fsdecode(NAME)
    log = json.loads(render([error("A.path-characters", f"path {path!r}", path, 1, 1)], {}))
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "registry/sources/bad%FF%FE.yaml"


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_a_non_utf8_file_name_in_a_pr_keeps_the_report_valid(tmp_path: Path, fmt: str) -> None:
    repo = init_example_repo(tmp_path / "repo")
    git(repo, "checkout", "-q", "-b", "pr")
    with open(os.fsencode(repo) + b"/" + NAME, "w") as fh:
        fh.write("a: 1\n")
    commit_all(repo, "a file name that is not UTF-8")
    out = subprocess.run([*KFM_BOT, "check", "--base", "main", "--head", "pr", "--format", fmt],
                         cwd=repo, capture_output=True, timeout=120, check=False)  # fmt: skip
    assert out.returncode == 1, out.stderr.decode(errors="replace")
    text = out.stdout.decode("utf-8")  # raises on the raw bytes main wrote
    assert "bad\ufffd\ufffd.yaml" in text or "bad%FF%FE.yaml" in text
    json.loads(text)
