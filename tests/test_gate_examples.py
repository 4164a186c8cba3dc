"""Every case under tests/examples/<gate>/{pass,fail}/<case>/ runs through the gates on a real repo.

A case is an overlay on the example content: `files/**` replaces or adds files, `delete.txt`
lists paths to remove, and `expect.json` says which rules must fire (fail cases) and whether
findings must carry a line. A pass case must make its gate pass with the change in scope.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kfm_bot.gates.evaluate import evaluate
from tests.gitrepo import apply_overlay, commit_all, git, init_example_repo

EXAMPLES = Path(__file__).parent / "examples"
CASES = sorted(
    p for p in EXAMPLES.glob("*/*/*") if p.is_dir() and p.parent.name in ("pass", "fail")
)


def _case_id(case: Path) -> str:
    return "/".join(case.parts[-3:])


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_gate_example(case: Path, tmp_path: Path) -> None:
    gate = case.parent.parent.name.upper()
    expect = (
        json.loads((case / "expect.json").read_text()) if (case / "expect.json").exists() else {}
    )
    repo = init_example_repo(tmp_path / "repo")
    git(repo, "checkout", "-q", "-b", "change")
    apply_overlay(repo, case)
    commit_all(repo, f"example {case.name}")
    everything = bool(expect.get("all", False))
    report = evaluate(repo, base="main", head="change", everything=everything).report
    gates = {g.gate: g for g in report.gates}
    findings = gates[gate].findings
    if case.parent.name == "pass":
        assert gates[gate].status in ("pass", "warn"), findings
        assert not [f for f in findings if f.severity == "error"], findings
        return
    rules = {f.rule for f in findings}
    for rule in expect["rules"]:
        assert rule in rules, (rule, findings)
    if expect.get("located", True):
        for f in findings:
            if f.rule in expect["rules"]:
                assert f.path and f.line, f
    want = "warn" if gate == "G" else "fail"
    assert gates[gate].status == want, findings


def test_every_gate_has_a_pass_and_a_fail_example() -> None:
    for gate in "abcdefg":
        for kind in ("pass", "fail"):
            assert list((EXAMPLES / gate / kind).glob("*/")), f"no {kind} example for gate {gate}"
