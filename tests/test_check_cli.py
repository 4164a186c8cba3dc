"""`kfm-bot check` as a contributor and CI run it: refs, scope, formats, exit codes, summaries."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from kfm_bot.models.report import GateReport
from tests.cli import kfm_bot
from tests.gitrepo import PROJECT, commit_all, git, init_example_repo

pytestmark = pytest.mark.slow  # subprocesses or emulator worlds: left out of `make test-fast`

SPEC = "specs/ks_water_wells/spec.yaml"


def kfm(
    repo: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return kfm_bot(*args, cwd=repo, env=env, timeout=60)


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


def _shas(repo: Path, *refs: str) -> list[str]:
    return [git(repo, "rev-parse", ref) for ref in refs]


@pytest.mark.parametrize("fmt", ["text", "json", "github", "markdown"])
def test_every_format_states_the_commits_and_refs_it_compared(
    repo: Path, fmt: str, tmp_path: Path
) -> None:
    main, change = _shas(repo, "main", "change")
    summary = tmp_path / "summary.md"
    env = {"PATH": "/usr/bin:/bin", "GITHUB_STEP_SUMMARY": str(summary)}
    given = kfm(repo, "check", "--base", "main", "--head", "change", "--format", fmt, env=env)
    git(repo, "checkout", "-q", "change")
    picked = kfm(repo, "check", "--format", fmt, env=env)  # default base, the working tree
    for proc in (given, picked):
        assert proc.returncode == 1, proc.stderr
    if fmt == "json":
        keys = ("base", "base_ref", "head", "head_ref")
        assert [json.loads(given.stdout)[k] for k in keys] == [main, "main", change, "change"]
        assert [json.loads(picked.stdout)[k] for k in keys] == [
            main,
            "main",
            "working tree",
            "change",
        ]
        return
    quote = "`" if fmt == "markdown" else ""
    assert f"base {quote}{main}{quote} ({quote}main{quote}) with head {quote}{change}{quote}" in (
        given.stdout
    )
    assert f"with head working tree (on branch {quote}change{quote})" in picked.stdout
    if fmt == "github":
        assert f"base `{main}` (`main`)" in summary.read_text()


def _feature_clone(tmp_path: Path, *clone_args: str) -> Path:
    """A contributor's clone of the feature branch, which breaks a spec (origin/HEAD: feature)."""
    upstream = init_example_repo(tmp_path / "upstream")
    git(upstream, "checkout", "-q", "-b", "feature")
    spec = upstream / SPEC
    spec.write_text(spec.read_text().replace("dataset_slug: ", "dataset_slug: Bad Slug ", 1))
    commit_all(upstream, "break the slug")
    git(tmp_path, "clone", "-q", *clone_args, str(upstream), "clone")
    return tmp_path / "clone"


@pytest.mark.parametrize("clone_args", [["-b", "feature"], ["-b", "feature", "--single-branch"]])
def test_a_clone_of_the_feature_branch_is_refused_instead_of_neutral(
    tmp_path: Path, clone_args: list[str]
) -> None:
    clone = _feature_clone(tmp_path, *clone_args)
    refused = kfm(clone, "check", "--format", "json")
    assert refused.returncode == 2 and refused.stdout == ""
    assert "is the branch feature being checked" in refused.stderr
    assert "pass --base" in refused.stderr and "Traceback" not in refused.stderr
    if "--single-branch" not in clone_args:
        proc = kfm(clone, "check", "--base", "origin/main", "--format", "json")
        report = json.loads(proc.stdout)
        assert proc.returncode == 1 and report["conclusion"] == "failure"
        assert report["base_ref"] == "origin/main" and report["head_ref"] == "feature"


def test_checking_the_default_branch_against_itself_is_refused(tmp_path: Path) -> None:
    repo = init_example_repo(tmp_path / "repo")
    on_main = kfm(repo, "check")
    assert on_main.returncode == 2 and "is the branch main being checked" in on_main.stderr
    head = kfm(repo, "check", "--head", "main")
    assert head.returncode == 2 and "pass --base" in head.stderr
    git(repo, "checkout", "-q", "--detach")
    detached = kfm(repo, "check")
    assert detached.returncode == 2 and "is the commit" in detached.stderr
    given = kfm(repo, "check", "--base", "main")  # named explicitly: the working tree's edits
    assert given.returncode == 0 and "compared base" in given.stdout


def test_a_new_branch_without_commits_checks_the_working_tree(tmp_path: Path) -> None:
    repo = init_example_repo(tmp_path / "repo")
    git(repo, "checkout", "-q", "-b", "fresh")
    spec = repo / SPEC
    spec.write_text(spec.read_text().replace("dataset_slug: ", "dataset_slug: Bad Slug ", 1))
    proc = kfm(repo, "check", "--format", "json")
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["base_ref"] == "main"


def test_the_pre_commit_all_files_hook_checks_everything(tmp_path: Path) -> None:
    from ruamel.yaml import YAML

    hooks = YAML(typ="safe").load((PROJECT / ".pre-commit-hooks.yaml").read_text())
    entries = {hook["id"]: hook for hook in hooks}
    hook = entries["kfm-check-all"]
    assert hook["pass_filenames"] is False
    program, *args = hook["entry"].split()
    assert program == "kfm-bot" and "--all" in args
    repo = init_example_repo(tmp_path / "repo")  # on main, where kfm-check is refused
    spec = repo / SPEC
    spec.write_text(spec.read_text().replace("dataset_slug: ", "dataset_slug: Bad Slug ", 1))
    proc = kfm(repo, *args)
    assert proc.returncode == 1 and "compared base none (--all checks everything)" in proc.stdout
    assert "conclusion: failure" in proc.stdout
    assert kfm(repo, *entries["kfm-check"]["entry"].split()[1:]).returncode == 2
