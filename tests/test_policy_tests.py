"""Fixture-driven policy tests: expectations, unknown rules, overrides, bad files, coverage."""

from __future__ import annotations

import os
from pathlib import Path

from kfm_bot.policy.cel_rules import load_rules
from kfm_bot.policy.dirsnap import PolicyDirSnapshot
from kfm_bot.policy.policy_tests import (
    coverage_findings,
    load_policy_tests,
    result_findings,
    run_policy_tests,
)
from kfm_bot.policy.policyset import load_policies
from kfm_bot.repo.documents import DocumentStore
from tests.gitrepo import PROJECT

RULE = """kfm_policy_rule_version: v1
id: F.rule.needs-sensitivity
description: Sensitive sources have a sensitivity steward.
applies_to: source
expression: "object.stewards.exists(s, s in stewards && 'sensitivity' in stewards[s].roles)"
message: Add a sensitivity steward.
"""
TEST = """kfm_policy_test_version: v1
name: {name}
input:
  kind: source
  document: {{stewards: [{steward}]}}
{extra}expect: {expect}
"""


def _setup(tmp_path: Path, tests: dict[str, str]) -> tuple[DocumentStore, PolicyDirSnapshot]:
    (tmp_path / "policies/rules").mkdir(parents=True)
    (tmp_path / "policies/tests").mkdir(parents=True)
    (tmp_path / "policies/rules/needs-sensitivity.yaml").write_text(RULE)
    for name, text in tests.items():
        (tmp_path / "policies/tests" / f"{name}.yaml").write_text(text)
    snapshot = PolicyDirSnapshot(tmp_path)
    return DocumentStore(snapshot), snapshot


def _test(name: str, steward: str, expect: str, extra: str = "") -> str:
    return TEST.format(name=name, steward=steward, expect=expect, extra=extra)


def _run(tmp_path: Path, tests: dict[str, str]) -> list:  # type: ignore[type-arg]
    docs, snapshot = _setup(tmp_path, tests)
    rules, problems = load_rules(docs, snapshot)
    cases, more = load_policy_tests(docs, snapshot)
    assert problems == [] and more == []
    return run_policy_tests(rules, cases)  # no PolicySet: no roster unless a test gives one


def test_the_example_policy_tests_pass_and_cover_every_rule() -> None:
    docs = DocumentStore(PolicyDirSnapshot(PROJECT))
    rules, _ = load_rules(docs, docs.snapshot)
    cases, problems = load_policy_tests(docs, docs.snapshot)
    results = run_policy_tests(rules, cases, load_policies(docs))
    assert problems == [] and results and all(r.passed for r in results), [
        r.reason() for r in results if not r.passed
    ]
    assert coverage_findings(rules, cases) == []
    for rule in rules:  # a passing and a failing fixture of the rule's kind
        kinds = [c for c in cases if c.test.input.kind == rule.applies_to]
        assert any(rule.id in c.test.expect for c in kinds), rule.id
        assert any(rule.id not in c.test.expect for c in kinds), rule.id


def test_expectations_compare_both_ways(tmp_path: Path) -> None:
    override = "  stewards: {ann: {roles: [sensitivity]}}\n"
    results = _run(
        tmp_path,
        {
            "ok": _test("ok", "ann", "[]", override),
            "fires": _test("fires", "bob", "[F.rule.needs-sensitivity]", override),
            "missed": _test("missed", "ann", "[F.rule.needs-sensitivity]", override),
            "surprise": _test("surprise", "bob", "[]", override),
        },
    )
    by_name = {r.case.test.name: r for r in results}
    assert by_name["ok"].passed and by_name["fires"].passed
    assert "did not" in by_name["missed"].reason()
    assert "not expected" in by_name["surprise"].reason()
    findings = result_findings(results)
    assert sorted(f.path or "" for f in findings) == [
        "policies/tests/missed.yaml",
        "policies/tests/surprise.yaml",
    ]
    assert all(f.rule == "F.policy-test-failed" and f.line == 2 for f in findings)


def test_without_a_roster_the_rule_fires(tmp_path: Path) -> None:
    [result] = _run(tmp_path, {"t": _test("t", "ann", "[]")})
    assert result.fired == ["F.rule.needs-sensitivity"] and not result.passed


def test_an_unknown_expected_rule_fails(tmp_path: Path) -> None:
    [result] = _run(tmp_path, {"t": _test("t", "ann", "[F.rule.nope]")})
    assert "F.rule.nope is not a known rule" in result.reason()


def test_a_rule_that_errors_fails_the_test(tmp_path: Path) -> None:
    text = "kfm_policy_test_version: v1\nname: t\ninput: {kind: source, document: {}}\nexpect: []\n"
    [result] = _run(tmp_path, {"t": text})
    assert not result.passed and "could not be evaluated" in result.reason()


def test_malformed_and_irregular_test_files(tmp_path: Path) -> None:
    _setup(tmp_path, {"bad": "kfm_policy_test_version: v1\nname: x\nexpect: []\n"})
    os.symlink("bad.yaml", tmp_path / "policies/tests/link.yaml")
    docs = DocumentStore(PolicyDirSnapshot(tmp_path))
    cases, findings = load_policy_tests(docs, docs.snapshot)
    assert cases == []
    assert {(f.rule, f.path) for f in findings} == {
        ("F.schema", "policies/tests/bad.yaml"),
        ("F.policy-test-invalid", "policies/tests/link.yaml"),
    }


def test_a_rule_no_fixture_expects_is_uncovered(tmp_path: Path) -> None:
    docs, snapshot = _setup(tmp_path, {"ok": _test("ok", "ann", "[]")})
    rules, _ = load_rules(docs, snapshot)
    cases, _ = load_policy_tests(docs, snapshot)
    [finding] = coverage_findings(rules, cases)
    assert finding.rule == "F.policy-test-uncovered" and finding.is_error
    assert finding.path == "policies/rules/needs-sensitivity.yaml" and finding.line == 5
