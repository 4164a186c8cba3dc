"""`kfm-bot check` as a contributor and CI run it: refs, scope, formats, exit codes, summaries."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kfm_bot.models.report import GateReport
from tests.gitrepo import commit_all, git, init_example_repo

SPEC = "specs/ks_water_wells/spec.yaml"


def kfm(
    repo: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kfm_bot", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = init_example_repo(tmp_path_factory.mktemp("check") / "repo")
    git(repo, "checkout", "-q", "-b", "change")
    spec = repo / SPEC
    spec.write_text(spec.read_text().replace("title: ", "title: ::error::@octocat <b>x</b> ", 1))
    commit_all(repo, "edit a title")
    return repo


def test_json_report_is_a_valid_gate_report_v1_scoped_to_the_change(repo: Path) -> None:
    proc = kfm(repo, "check", "--base", "main", "--head", "change", "--format", "json")
    report = json.loads(proc.stdout)
    GateReport.model_validate(report)
    assert [d["dataset_slug"] for d in report["datasets"]] == ["ks_water_wells"]
    assert report["conclusion"] == "failure" and proc.returncode == 1  # receipt spec_hash is stale
    rules = {f["rule"] for g in report["gates"] for f in g["findings"]}
    assert "A.receipt-spec-hash" in rules


def test_default_base_is_the_merge_base_and_head_the_working_tree(repo: Path) -> None:
    git(repo, "checkout", "-q", "change")
    (repo / "registry/sources/new-source.yaml").write_text("not: [valid\n")  # untracked
    try:
        report = json.loads(kfm(repo, "check", "--format", "json").stdout)
    finally:
        (repo / "registry/sources/new-source.yaml").unlink()
    assert report["head"] == "working tree"
    assert report["base"] == git(repo, "rev-parse", "main")
    findings = [f for g in report["gates"] for f in g["findings"]]
    assert any(f["path"] == "registry/sources/new-source.yaml" and f["line"] for f in findings)


def test_github_format_escapes_workflow_commands_and_writes_the_step_summary(
    repo: Path, tmp_path: Path
) -> None:
    summary = tmp_path / "summary.md"
    env = {"PATH": "/usr/bin:/bin", "GITHUB_STEP_SUMMARY": str(summary)}
    proc = kfm(repo, "check", "--base", "main", "--head", "change", "--format", "github", env=env)
    lines = proc.stdout.splitlines()
    assert any(ln.startswith("::error file=specs/ks_water_wells/") for ln in lines)
    assert all(ln.startswith(("::error ", "::warning ", "::notice ", "kfm-bot")) for ln in lines)
    text = summary.read_text()
    assert "| gate | name | status |" in text and "<b>" not in text and "@octocat" not in text


def test_text_and_markdown_formats(repo: Path) -> None:
    text = kfm(repo, "check", "--base", "main", "--head", "change").stdout
    assert "conclusion: failure" in text and "::error::" not in text
    md = kfm(repo, "check", "--base", "main", "--head", "change", "--format", "markdown").stdout
    assert md.startswith("### kfm-bot gates: Gates failed")


def test_deleting_a_source_that_a_spec_uses_is_an_error(tmp_path: Path) -> None:
    repo = init_example_repo(tmp_path / "repo")
    git(repo, "checkout", "-q", "-b", "drop")
    git(repo, "rm", "-q", "registry/sources/kgs-water-wells.yaml")
    commit_all(repo, "drop a source")
    report = json.loads(
        kfm(repo, "check", "--base", "main", "--head", "drop", "--format", "json").stdout
    )
    assert "A.source-in-use" in {f["rule"] for g in report["gates"] for f in g["findings"]}


def test_a_change_outside_governed_content_is_neutral(tmp_path: Path) -> None:
    repo = init_example_repo(tmp_path / "repo")
    git(repo, "checkout", "-q", "-b", "docs")
    (repo / "NOTES.md").write_text("notes\n")
    commit_all(repo, "notes")
    proc = kfm(repo, "check", "--base", "main", "--head", "docs", "--format", "json")
    assert json.loads(proc.stdout)["conclusion"] == "neutral" and proc.returncode == 0


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["check", "--base", "no-such-ref"], "cannot resolve 'no-such-ref'"),
        (["check", "--repo", "/nonexistent-dir"], "is not a git repository"),
        (["check", "--format", "yaml"], "Invalid value for '--format'"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(repo: Path, args: list[str], needle: str) -> None:
    proc = kfm(repo, *args)
    assert proc.returncode == 2 and needle in proc.stderr and "Traceback" not in proc.stderr
