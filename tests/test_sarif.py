"""`--format sarif`: what code scanning uploads, checked against the official SARIF 2.1.0 schema
(vendored in tests/sarif/, offline) and for what GitHub needs of it."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from kfm_bot.findings import error, warning
from kfm_bot.report import sarif
from tests.cli import KFM_BOT, kfm_bot, measured
from tests.gitrepo import PROJECT, commit_all, git, init_example_repo

SCHEMA_FILE = Path(__file__).parent / "sarif" / "sarif-schema-2.1.0.json"
SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"
SPEC = "specs/ks_water_wells/spec.yaml"


def valid(log: dict[str, Any]) -> dict[str, Any]:
    """The log, after the official schema (with its `uri` formats) accepted it."""
    schema = json.loads(SCHEMA_FILE.read_bytes())
    checker = jsonschema.Draft4Validator.FORMAT_CHECKER
    jsonschema.Draft4Validator(schema, format_checker=checker).validate(log)
    return log


def test_the_vendored_schema_is_the_official_one() -> None:
    assert hashlib.sha256(SCHEMA_FILE.read_bytes()).hexdigest() == SCHEMA_SHA256


def test_the_schema_check_can_fail() -> None:
    log = sarif.sarif_log([error("A.x", "m", "a.yaml", 1, 1)], {})
    log["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        valid(log)


def test_rules_results_locations_and_fingerprints() -> None:
    findings = [
        error("A.yaml-tag", "a tag", "specs/a b/spec.yaml", 3, 7),
        warning("G.posture", "weak", "registry/sources/s.yaml", 2),
        error("A.yaml-tag", "a tag", "specs/a b/spec.yaml", 9, 1),  # same text, other line
        error("gates.none", "no gates are registered"),  # about the repository as a whole
    ]
    log = valid(sarif.sarif_log(findings, {"A.yaml-tag": "delete the tag."}))
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["A.yaml-tag", "G.posture", "gates.none"]
    assert rules[0]["help"]["text"] == "delete the tag." and rules[0]["helpUri"].endswith(
        "#the-gates-and-how-to-fix-each-finding"
    )
    first, second, _, last = run["results"]
    assert first["level"] == "error" and second["level"] == "warning"
    assert rules[second["ruleIndex"]]["id"] == "G.posture"
    where = first["locations"][0]["physicalLocation"]
    assert where["artifactLocation"] == {"uri": "specs/a%20b/spec.yaml", "uriBaseId": "ROOT"}
    assert where["region"] == {"startLine": 3, "startColumn": 7}
    assert second["locations"][0]["physicalLocation"]["region"] == {"startLine": 2}
    assert "locations" not in last
    prints = [r["partialFingerprints"]["kfmFinding/v1"] for r in run["results"]]
    assert len(set(prints)) == 4  # two identical findings stay two results
    moved = [error("A.yaml-tag", "a tag", "specs/a b/spec.yaml", 30, 7)]
    assert sarif.sarif_log(moved, {})["runs"][0]["results"][0]["partialFingerprints"] == {
        "kfmFinding/v1": prints[0]
    }, "a finding whose line moved keeps its fingerprint"


@pytest.mark.slow
def test_check_sarif_is_valid_and_stable_across_runs(tmp_path: Path) -> None:
    repo = init_example_repo(tmp_path / "repo")
    git(repo, "checkout", "-q", "-b", "change")
    spec = repo / SPEC
    spec.write_text(spec.read_text().replace("title: ", "title: edited ", 1))
    commit_all(repo, "edit a title")
    args = ("check", "--base", "main", "--head", "change", "--format", "sarif")
    first, again = (kfm_bot(*args, cwd=repo, timeout=60) for _ in range(2))
    assert first.returncode == 1, first.stderr
    assert first.stdout == again.stdout  # same change, same bytes: fingerprints included
    log = valid(json.loads(first.stdout))
    results = log["runs"][0]["results"]
    assert any(r["ruleId"] == "A.receipt-spec-hash" for r in results)
    rule_ids = [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]]
    assert sorted(set(rule_ids)) == rule_ids and {r["ruleId"] for r in results} == set(rule_ids)
    known = next(
        r for r in log["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "A.receipt-spec-hash"
    )
    assert "see the README" not in known["help"]["text"]  # the catalog's fix text
    for result in results:
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert (repo / uri).exists() and not uri.startswith("/")


@pytest.mark.slow
def test_hash_sarif_and_json(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_bytes(b"a: 1\na: 2\n")
    (tmp_path / "good.yaml").write_bytes(b"a: 1\n")
    done = kfm_bot("hash", "--format", "sarif", "bad.yaml", "good.yaml", cwd=tmp_path)
    assert done.returncode == 1 and done.stderr == ""
    (result,) = valid(json.loads(done.stdout))["runs"][0]["results"]
    assert result["ruleId"] == "A.yaml-duplicate-key"
    assert result["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 2,
        "startColumn": 1,
    }
    listed = json.loads(
        kfm_bot("hash", "--format", "json", "bad.yaml", "good.yaml", cwd=tmp_path).stdout
    )
    assert [f["path"] for f in listed["files"]] == ["bad.yaml", "good.yaml"]
    assert listed["files"][0]["spec_hash"] is None and listed["files"][1]["spec_hash"]
    assert listed["findings"][0]["rule"] == "A.yaml-duplicate-key"
    github = kfm_bot("hash", "--format", "github", "bad.yaml", cwd=tmp_path)
    assert github.stderr.startswith(
        "::error file=bad.yaml,line=2,col=1,title=A.yaml-duplicate-key::"
    )


def _sarif_step() -> str:
    action = yaml.safe_load((PROJECT / "action.yml").read_text())
    (step,) = [s for s in action["runs"]["steps"] if s.get("id") == "sarif"]
    assert step["if"] == "inputs.mode == 'sarif'" and "env" not in step  # no token reaches it
    assert action["outputs"]["sarif-file"]["value"] == "${{ steps.sarif.outputs.file }}"
    return str(step["run"])


def _run_step(cwd: Path, temp: Path, output: Path) -> subprocess.CompletedProcess[str]:
    """The step's script under bash, its venv's kfm-bot being this interpreter's."""
    (temp / "kfm-bot-venv/bin").mkdir(parents=True)
    launcher = temp / "kfm-bot-venv/bin/kfm-bot"
    launcher.write_text(f'#!/bin/sh\nexec {" ".join(KFM_BOT)} "$@"\n')
    launcher.chmod(0o755)
    env = {**os.environ, "RUNNER_TEMP": str(temp), "GITHUB_OUTPUT": str(output)}
    return subprocess.run(
        ["bash", "-e", "-c", _sarif_step()],
        cwd=cwd,
        env=measured(env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
@pytest.mark.parametrize("failing", [False, True])
def test_the_actions_sarif_mode_writes_a_file_even_when_gates_fail(
    tmp_path: Path, failing: bool
) -> None:
    """The composite action's step as the runner runs it: bash, RUNNER_TEMP, GITHUB_OUTPUT."""
    repo = init_example_repo(tmp_path / "repo")
    if failing:
        spec = repo / SPEC
        spec.write_text(spec.read_text().replace("title: ", "title: edited ", 1))
    temp, output = tmp_path / "runner", tmp_path / "github_output"
    done = _run_step(repo, temp, output)
    assert done.returncode == 0, done.stderr
    assert output.read_text() == f"file={temp / 'kfm-bot.sarif'}\n"
    results = valid(json.loads((temp / "kfm-bot.sarif").read_text()))["runs"][0]["results"]
    assert bool(results) == failing


@pytest.mark.slow
def test_the_actions_sarif_mode_stops_on_a_usage_error(tmp_path: Path) -> None:
    temp, output = tmp_path / "runner", tmp_path / "github_output"
    not_a_repo = tmp_path / "empty"
    not_a_repo.mkdir()
    done = _run_step(not_a_repo, temp, output)
    assert done.returncode == 2 and not output.exists(), done.stderr
