"""Fixture-driven policy tests (`policies/tests/*.yaml`): run every rule on an input, compare."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kfm_bot.findings import Finding, error
from kfm_bot.models.policy_rules import PolicyTest
from kfm_bot.policy.cel_eval import bindings, policy_bindings, run_rules
from kfm_bot.policy.cel_rules import CompiledRule, rule_paths

if TYPE_CHECKING:
    from kfm_bot.policy.policyset import PolicySet
    from kfm_bot.repo.documents import DocumentStore
    from kfm_bot.repo.snapshot import Snapshot

TESTS_DIR = "policies/tests"
FAILED = "F.policy-test-failed"
INVALID = "F.policy-test-invalid"
UNCOVERED = "F.policy-test-uncovered"


@dataclass(frozen=True)
class PolicyTestCase:
    path: str
    line: int
    column: int
    test: PolicyTest


@dataclass
class TestResult:
    case: PolicyTestCase
    fired: list[str]
    problems: list[str] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        return sorted(set(self.case.test.expect) - set(self.fired))

    @property
    def unexpected(self) -> list[str]:
        return sorted(set(self.fired) - set(self.case.test.expect))

    @property
    def passed(self) -> bool:
        return not (self.missing or self.unexpected or self.problems)

    def reason(self) -> str:
        parts = [f"expected {r} to fire but it did not" for r in self.missing]
        parts += [f"{r} fired but was not expected" for r in self.unexpected]
        return "; ".join(parts + self.problems)


def load_policy_tests(
    docs: DocumentStore, snapshot: Snapshot
) -> tuple[list[PolicyTestCase], list[Finding]]:
    """Every well-formed test of the snapshot, and located findings for the rest."""
    cases: list[PolicyTestCase] = []
    findings: list[Finding] = []
    for path in rule_paths(snapshot, TESTS_DIR):
        loaded = docs.load(path)
        if loaded is None:
            findings.append(error(INVALID, f"{path} is not a regular file; make it one", path))
            continue
        findings.extend(loaded.findings)
        model = docs.model(path, PolicyTest) if loaded.data is not None else None
        if model is None:
            findings.extend(docs.schema_findings.get(path, []))
            continue
        line, col = loaded.locate(("name",))
        cases.append(PolicyTestCase(path, line, col, model))
    return cases, findings


def run_policy_tests(
    rules: list[CompiledRule], cases: list[PolicyTestCase], policies: PolicySet | None = None
) -> list[TestResult]:
    """Each case against every rule; `policies` supplies `labels`/`stewards` unless a case does."""
    defaults = policy_bindings(policies)
    known = {r.id for r in rules}
    results = []
    for case in cases:
        given = case.test.input
        activation = bindings(
            given.document,
            sources=given.sources,
            files=given.files,
            labels=defaults["labels"] if given.labels is None else given.labels,
            stewards=defaults["stewards"] if given.stewards is None else given.stewards,
        )
        outcomes = run_rules(rules, given.kind, activation)
        result = TestResult(case, sorted(o.rule.id for o in outcomes if o.fired))
        result.problems += [
            f"{o.rule.id} could not be evaluated: {o.problem}" for o in outcomes if o.problem
        ]
        result.problems += [f"{r} is not a known rule" for r in case.test.expect if r not in known]
        results.append(result)
    return results


def result_findings(results: list[TestResult]) -> list[Finding]:
    return [
        error(
            FAILED,
            f"policy test `{r.case.test.name}` failed: {r.reason()}",
            r.case.path,
            r.case.line,
            r.case.column,
        )
        for r in results
        if not r.passed
    ]


def coverage_findings(rules: list[CompiledRule], cases: list[PolicyTestCase]) -> list[Finding]:
    """A rule no fixture expects to fire is untested, so it blocks like a failing test."""
    expected = {rule_id for case in cases for rule_id in case.test.expect}
    return [
        error(
            UNCOVERED,
            f"no policy test expects {r.id} to fire; add a failing fixture under {TESTS_DIR}/",
            r.path,
            r.line,
            r.column,
        )
        for r in rules
        if r.id not in expected
    ]
