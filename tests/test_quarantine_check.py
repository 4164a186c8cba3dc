"""Quarantine as stewards use it, through `kfm-bot check` on real repositories.

Quarantining a source in use is protective: the PR is mergeable, its dependants are shown as
blocked in every format, and unrelated PRs stay green. The quarantine itself must be right: a
reason code from the closed list, a remediation owner on the roster, a due date within grace.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from kfm_bot.gates.evaluate import evaluate
from kfm_bot.models.report import GateReport, ReportFinding
from tests.gitrepo import commit_all, git, init_example_repo
from tests.test_check_cli import kfm

pytestmark = pytest.mark.slow  # over a second a test: left out of `make test-fast`

WELLS = "registry/sources/kgs-water-wells.yaml"
TRAILS = "registry/sources/ks-historic-trails-scan.yaml"  # quarantined, used by no dataset


def quarantine(repo: Path, reason: str = "data-quality", owner: str = "tomas-reyes") -> None:
    """What a steward writes to quarantine the water-wells source (used by ks_water_wells)."""
    path = repo / WELLS
    block = (
        f"status: quarantined\nquarantine:\n  reason_code: {reason}\n  remediation:\n"
        f'    owner: {owner}\n    due: "2035-02-01"\n'
    )
    path.write_text(path.read_text().replace("status: active\n", block))


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """main, and a branch `quarantine` that quarantines kgs-water-wells and nothing else."""
    repo = init_example_repo(tmp_path_factory.mktemp("quarantine") / "repo")
    git(repo, "checkout", "-q", "-b", "quarantine")
    quarantine(repo)
    commit_all(repo, "quarantine kgs-water-wells")
    git(repo, "checkout", "-q", "main")
    return repo


def test_quarantining_a_source_in_use_is_mergeable_and_blocks_its_dependants(repo: Path) -> None:
    proc = kfm(repo, "check", "--base", "main", "--head", "quarantine", "--format", "json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = json.loads(proc.stdout)
    GateReport.model_validate(report)
    assert report["conclusion"] == "success"
    datasets = {d["dataset_slug"]: d for d in report["datasets"]}
    assert datasets["ks_water_wells"]["status"] == "blocked"
    assert datasets["ks_water_wells"]["blocked_by"] == ["kgs-water-wells"]


@pytest.mark.parametrize("fmt", ["text", "markdown", "github"])
def test_every_format_says_which_dataset_is_blocked_and_by_what(
    repo: Path, fmt: str, tmp_path: Path
) -> None:
    summary = tmp_path / "summary.md"
    env = {"PATH": "/usr/bin:/bin", "GITHUB_STEP_SUMMARY": str(summary)}
    args = ("check", "--base", "main", "--head", "quarantine", "--format", fmt)
    proc = kfm(repo, *args, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout + (summary.read_text() if fmt == "github" else "")
    assert "dataset ks_water_wells is blocked by quarantined source(s) kgs-water-wells" in out
    if fmt == "github":
        assert any(
            ln.startswith("::warning ") and "ks_water_wells is blocked" in ln
            for ln in proc.stdout.splitlines()
        )
        assert "Blocked datasets" in summary.read_text()


def test_an_unrelated_pr_on_a_main_with_a_quarantine_stays_green(
    repo: Path, tmp_path: Path
) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    git(clone, "merge", "-q", "--ff-only", "origin/quarantine")
    all_proc = kfm(clone, "check", "--all", "--format", "json")
    assert all_proc.returncode == 0, all_proc.stdout  # the merged quarantine leaves main green
    everything = {d["dataset_slug"]: d for d in json.loads(all_proc.stdout)["datasets"]}
    assert everything["ks_water_wells"]["status"] == "blocked"
    assert set(everything["ks_county_boundaries"]) == {"dataset_slug", "spec_hash"}  # v1 shape
    git(clone, "checkout", "-q", "-b", "unrelated")
    path = clone / "registry/sources/kshs-archaeological-sites.yaml"  # archaeo_site_density
    path.write_text(path.read_text().replace("title: ", "title: US ", 1))
    commit_all(clone, "retitle the archaeological sites source")
    proc = kfm(clone, "check", "--base", "main", "--head", "unrelated", "--format", "json")
    report = json.loads(proc.stdout)
    assert proc.returncode == 0 and report["conclusion"] == "success", proc.stdout
    assert not [d for d in report["datasets"] if d.get("status") == "blocked"]


def _findings(repo: Path, today: datetime.date | None = None) -> list[ReportFinding]:
    report = evaluate(repo, base="main", head="change", today=today).report
    gate_b = next(g for g in report.gates if g.gate == "B")
    return list(gate_b.findings)


def _branch(tmp_path: Path, **kwargs: str) -> Path:
    repo = init_example_repo(tmp_path / "repo")
    git(repo, "checkout", "-q", "-b", "change")
    quarantine(repo, **kwargs)
    commit_all(repo, "quarantine")
    return repo


def test_an_unknown_reason_code_is_an_error_at_its_line(tmp_path: Path) -> None:
    repo = _branch(tmp_path, reason="because-i-said-so")
    found = [f for f in _findings(repo) if f.rule == "B.quarantine-reason-unknown"]
    line = (repo / WELLS).read_text().splitlines().index("  reason_code: because-i-said-so") + 1
    assert len(found) == 1 and found[0].severity == "error", found
    assert (found[0].path, found[0].line) == (WELLS, line)
    assert "data-quality" in str(found[0].message)  # names the codes it accepts


def test_the_remediation_owner_must_be_a_steward_on_the_roster(tmp_path: Path) -> None:
    repo = _branch(tmp_path, owner="alice")
    found = [f for f in _findings(repo) if f.rule == "B.quarantine-owner-not-steward"]
    line = (repo / WELLS).read_text().splitlines().index("    owner: alice") + 1
    assert len(found) == 1 and found[0].severity == "error"
    assert (found[0].path, found[0].line) == (WELLS, line)


@pytest.mark.parametrize(
    ("today", "rule", "severity"),
    [
        (datetime.date(2035, 2, 1), None, None),  # due today: not overdue
        (datetime.date(2035, 2, 2), "B.quarantine-overdue", "warning"),
        (datetime.date(2035, 3, 3), "B.quarantine-overdue", "warning"),  # day 30 of 30
        (datetime.date(2035, 3, 4), "B.quarantine-grace-expired", "error"),
    ],
)
def test_an_overdue_remediation_warns_then_fails_after_the_grace_period(
    tmp_path: Path, today: datetime.date, rule: str | None, severity: str | None
) -> None:
    repo = _branch(tmp_path)
    late = ("B.quarantine-overdue", "B.quarantine-grace-expired")
    overdue = [f for f in _findings(repo, today) if f.rule in late]
    assert [(f.rule, f.severity) for f in overdue] == ([(rule, severity)] if rule else [])
    if rule:
        line = (repo / WELLS).read_text().splitlines().index('    due: "2035-02-01"') + 1
        assert (overdue[0].path, overdue[0].line) == (WELLS, line)


def test_the_grace_period_comes_from_policies(tmp_path: Path) -> None:
    repo = init_example_repo(tmp_path / "repo")
    policy = repo / "policies/quarantine.yaml"
    policy.write_text(policy.read_text().replace("grace_days: 30", "grace_days: 0"))
    commit_all(repo, "no grace")
    git(repo, "checkout", "-q", "-b", "change")
    quarantine(repo)
    commit_all(repo, "quarantine")
    rules = {f.rule for f in _findings(repo, datetime.date(2035, 2, 2))}
    assert "B.quarantine-grace-expired" in rules
