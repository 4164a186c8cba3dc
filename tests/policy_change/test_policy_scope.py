"""A pull request that only changes `policies/` is judged on every dataset and source it affects.

Each case tightens a policy that an untouched dataset or source already violates. The PR must
fail on that dataset, and a PR that `kfm-bot check` passes must leave `check --all` green once
merged (its head is what main becomes on a fast-forward merge).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kfm_bot.yaml.strict import load_strict
from tests.gitrepo import commit_all, git, init_example_repo
from tests.test_check_cli import kfm

pytestmark = pytest.mark.slow  # over a second a test: left out of `make test-fast`

COUNTIES = "specs/ks_county_boundaries/spec.yaml"
TRAILS = "registry/sources/ks-historic-trails-scan.yaml"  # quarantined, used by no dataset
RULE = """\
kfm_policy_rule_version: v1
id: F.rule.simplify-bounded
description: Boundaries are simplified by at most 2 percent, so they stay usable for lookups.
applies_to: spec
severity: error
expression: >-
  object.transforms.all(t, !has(t.params) || !has(t.params.simplify_percent) ||
  t.params.simplify_percent <= 2)
message: A transform simplifies by more than 2 percent; lower `simplify_percent` to 2 or less.
field_path: transforms
"""


def _policy_test(repo: Path, percent: int, expect: list[str]) -> str:
    """A policy fixture: the county spec with `simplify_percent` set, as JSON (valid YAML)."""
    spec: Any = load_strict((repo / COUNTIES).read_bytes(), COUNTIES).data  # a known spec
    assert spec is not None
    spec["transforms"][1]["params"]["simplify_percent"] = percent
    files = ["catalog/dcat.json", "catalog/prov.json", "catalog/stac.json", "qa/report.json"]
    files += [*spec["receipts"], "fixtures/ks_counties_sample.geojson"]
    case = {
        "kfm_policy_test_version": "v1",
        "name": f"simplify {percent} percent",
        "description": "Boundaries simplified by a given percentage.",
        "input": {"kind": "spec", "document": spec, "files": files},
        "expect": expect,
    }
    return json.dumps(case, indent=1) + "\n"


def add_custom_rule(repo: Path) -> None:
    (repo / "policies/rules/simplify-bounded.yaml").write_text(RULE)
    tests = repo / "policies/tests"
    (tests / "simplify-bounded-fail.yaml").write_text(
        _policy_test(repo, 5, ["F.rule.simplify-bounded"])
    )
    (tests / "simplify-bounded-pass.yaml").write_text(_policy_test(repo, 2, []))


def tighten_licences(repo: Path) -> None:
    path = repo / "policies/licenses.yaml"
    path.write_text(path.read_text().replace("public: [CC0-1.0, ", "public: [", 1))


def public_needs_redaction(repo: Path) -> None:
    path = repo / "policies/labels.yaml"
    text = path.read_text()
    head, tail = text.split("  internal:", 1)
    head = head.replace("requires_redaction: false", "requires_redaction: true", 1)
    path.write_text(head + "  internal:" + tail)


def drop_remediation_owner(repo: Path) -> None:
    """ike-lindqvist leaves the roster, but still owns the trails source's remediation."""
    path = repo / "policies/stewards.yaml"
    gone = "  - login: ike-lindqvist\n    id: 4410024\n    roles: [licensing, policy]\n"
    assert gone in path.read_text()
    path.write_text(path.read_text().replace(gone, ""))


def widen_licences(repo: Path) -> None:
    path = repo / "policies/licenses.yaml"
    path.write_text(path.read_text().replace("public: [CC0-1.0, ", "public: [MIT, CC0-1.0, ", 1))


Change = Callable[[Path], None]
TIGHTENING: list[tuple[Change, str, str]] = [
    (tighten_licences, COUNTIES, "B.license-not-allowed"),
    (add_custom_rule, COUNTIES, "F.rule.simplify-bounded"),
    (public_needs_redaction, COUNTIES, "C.redaction-missing"),
    (drop_remediation_owner, TRAILS, "B.quarantine-owner-not-steward"),
]


def _policy_pr(tmp_path: Path, change: Change) -> Path:
    repo = init_example_repo(tmp_path / "repo")
    git(repo, "checkout", "-q", "-b", "policy")
    change(repo)
    commit_all(repo, f"policies: {change.__name__}")
    return repo


def _report(repo: Path, *args: str) -> tuple[int, dict[str, object]]:
    proc = kfm(repo, "check", *args, "--format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


@pytest.mark.parametrize(
    ("change", "path", "rule"), TIGHTENING, ids=[c.__name__ for c, _, _ in TIGHTENING]
)
def test_a_tightened_policy_fails_on_the_untouched_dataset_it_affects(
    tmp_path: Path, change: Change, path: str, rule: str
) -> None:
    repo = _policy_pr(tmp_path, change)
    code, report = _report(repo, "--base", "main", "--head", "policy")
    findings = [f for g in report["gates"] for f in g["findings"]]  # type: ignore[attr-defined]
    hits = [f for f in findings if f["rule"] == rule and f["path"] == path]
    assert code == 1 and report["conclusion"] == "failure", findings
    assert hits and all(f["line"] for f in hits), findings
    assert "ks_county_boundaries" in {d["dataset_slug"] for d in report["datasets"]}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "change", [c for c, _, _ in TIGHTENING] + [widen_licences], ids=lambda c: c.__name__
)
def test_a_green_policy_pr_leaves_check_all_green_after_merge(
    tmp_path: Path, change: Change
) -> None:
    repo = _policy_pr(tmp_path, change)
    pr_code, _ = _report(repo, "--base", "main", "--head", "policy")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--ff-only", "policy")
    all_code, _ = _report(repo, "--all", "--head", "main")
    assert pr_code != 0 or all_code == 0, "a green policy PR left check --all failing on main"
    if change is widen_licences:
        assert pr_code == 0 == all_code  # the property is not met by failing everything
