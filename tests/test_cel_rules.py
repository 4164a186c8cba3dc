"""Custom CEL rules: loading, compile errors, fail-closed evaluation, and gate F's enforcement."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kfm_bot.findings import Severity
from kfm_bot.gates.evaluate import evaluate
from kfm_bot.models.report import GateReport, ReportFinding
from kfm_bot.policy.cel_eval import bindings
from kfm_bot.policy.cel_eval import evaluate as evaluate_rule
from kfm_bot.policy.cel_rules import CompiledRule, compile_expression, load_rules
from kfm_bot.policy.dirsnap import PolicyDirSnapshot
from kfm_bot.repo.documents import DocumentStore
from tests.gitrepo import PROJECT, commit_all, git, init_example_repo

RULE = """kfm_policy_rule_version: v1
id: F.rule.{name}
description: A test rule.
applies_to: source
expression: "{expression}"
message: Static message.
"""


def _rules_in(tmp_path: Path, files: dict[str, str]) -> tuple[list[CompiledRule], list]:  # type: ignore[type-arg]
    for name, text in files.items():
        path = tmp_path / "policies" / "rules" / f"{name}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    docs = DocumentStore(PolicyDirSnapshot(tmp_path))
    return load_rules(docs, docs.snapshot)


def _rule(expression: str, message_expression: str | None = None) -> CompiledRule:
    program = compile_expression(expression)
    message = compile_expression(message_expression) if message_expression else None
    return CompiledRule(
        "F.rule.t", "", "source", Severity.ERROR, "static", (), "r.yaml", 1, 1, program, message
    )


def test_example_rules_compile_and_are_meaningful() -> None:
    docs = DocumentStore(PolicyDirSnapshot(PROJECT))
    rules, findings = load_rules(docs, docs.snapshot)
    assert findings == []
    assert len(rules) >= 4
    assert {r.applies_to for r in rules} == {"source", "spec"}
    assert all(r.id.startswith("F.rule.") and r.line for r in rules)


def test_syntax_error_is_located_on_the_expression(tmp_path: Path) -> None:
    rules, findings = _rules_in(
        tmp_path, {"broken": RULE.format(name="broken", expression="'a' ==")}
    )
    assert rules == []
    [finding] = findings
    assert (finding.rule, finding.line) == ("F.rule-invalid", 5)
    assert "syntax error" in finding.message


def test_id_must_follow_the_file_name(tmp_path: Path) -> None:
    rules, findings = _rules_in(tmp_path, {"one": RULE.format(name="two", expression="true")})
    assert rules == [] and [f.rule for f in findings] == ["F.rule-invalid"]
    assert "F.rule.one" in findings[0].message and findings[0].line == 2


def test_a_rule_missing_fields_is_a_schema_finding(tmp_path: Path) -> None:
    text = RULE.format(name="x", expression="true").replace("message: Static message.\n", "")
    rules, findings = _rules_in(tmp_path, {"x": text})
    assert rules == [] and {f.rule for f in findings} == {"F.schema"}


@pytest.mark.parametrize(
    ("expression", "fired", "problem"),
    [
        ("object.n > 1", False, None),
        ("object.n > 5", True, None),
        ("object.n + 1", False, "not a bool"),
        ("object.missing == 1", False, "missing"),
        ("object.n > 'x'", False, "overload"),
    ],
)
def test_evaluation_fails_closed(expression: str, fired: bool, problem: str | None) -> None:
    outcome = evaluate_rule(_rule(expression), bindings({"n": 2}))
    assert outcome.fired is fired
    if problem is None:
        assert outcome.problem is None
    else:
        assert outcome.problem is not None and problem in outcome.problem


def test_message_expression_and_its_fallback() -> None:
    act = bindings({"n": 2})
    named = evaluate_rule(_rule("false", "'n is ' + string(object.n)"), act)
    assert named.message == "n is 2"
    fallback = evaluate_rule(_rule("false", "object.nope"), act)
    assert fallback.message == "static"


def test_bindings_expose_sources_files_and_stewards() -> None:
    act = bindings(
        {"stewards": ["a"]},
        sources={"s": {"x": 1}},
        files=["catalog/dcat.json"],
        stewards={"a": {"roles": ["sensitivity"]}},
    )
    expression = (
        "sources.s.x == 1 && 'catalog/dcat.json' in files && "
        "object.stewards.all(s, 'sensitivity' in stewards[s].roles)"
    )
    assert evaluate_rule(_rule(expression), act).fired is False


def test_compiled_once() -> None:
    assert compile_expression("1 == 1") is compile_expression("1 == 1")


def test_celpy_is_imported_lazily() -> None:
    code = "import sys, kfm_bot.cli, kfm_bot.gates.f_policy.policy; print('celpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def _rules_of(result: GateReport) -> dict[str, list[ReportFinding]]:
    f_gate = next(g for g in result.gates if g.gate == "F")
    found: dict[str, list[ReportFinding]] = {}
    for finding in f_gate.findings:
        found.setdefault(finding.rule, []).append(finding)
    return found


def test_a_rule_that_errors_on_a_document_blocks(tmp_path: Path) -> None:
    repo = init_example_repo(tmp_path / "repo")
    rule = RULE.format(name="url-https", expression="object.access.url.startsWith('https://')")
    (repo / "policies/rules/url-https.yaml").write_text(rule)
    commit_all(repo, "rule without has() guard")
    git(repo, "checkout", "-q", "-b", "change")
    source = repo / "registry/sources/kshs-archaeological-sites.yaml"  # manual: no access.url
    source.write_text(source.read_text().replace("cadence: irregular", "cadence: annual"))
    commit_all(repo, "edit")
    found = _rules_of(evaluate(repo, base="main", head="change").report)
    located = [f for f in found["F.rule-invalid"] if f.path == "policies/rules/url-https.yaml"]
    assert located and located[0].line == 5
    assert "kshs-archaeological-sites" in located[0].message


def test_rules_are_enforced_from_the_base(tmp_path: Path) -> None:
    repo = init_example_repo(tmp_path / "repo")
    git(repo, "checkout", "-q", "-b", "change")
    rule = repo / "policies/rules/https-access.yaml"
    text = rule.read_text()
    start = text.index("expression:")
    rule.write_text(text[:start] + "expression: 'true'\n" + text[text.index("message:") :])
    source = repo / "registry/sources/kgs-water-wells.yaml"
    source.write_text(
        source.read_text().replace("url: https://www.kgs.ku.edu/M", "url: http://www.kgs.ku.edu/M")
    )
    commit_all(repo, "weaken the rule and use it at once")
    found = _rules_of(evaluate(repo, base="main", head="change").report)
    assert found["F.rule.https-access"][0].path == "registry/sources/kgs-water-wells.yaml"
    assert found["F.rule.https-access"][0].line == 13
    assert "F.policy-test-failed" in found


def test_field_analysis_turns_off_for_whole_object_uses() -> None:
    from kfm_bot.policy.cel_reads import object_fields

    def fields(expression: str) -> frozenset[str] | None:
        return object_fields(compile_expression(expression).ast)

    assert fields("has(object.access.url) && object.title != ''") == frozenset({"access", "title"})
    assert fields("object.size() > 1") is None
    assert fields("object['title'] == 'x'") is None
    assert fields("[1].all(object, object > 0)") is None


def test_enforcer_memo_agrees_with_direct_evaluation() -> None:
    from kfm_bot.policy.enforce import Enforcer

    on_field = _rule("object.n > 1", "'n=' + string(object.n) + ' t=' + object.t")
    whole = CompiledRule(
        "F.rule.w",
        "",
        "source",
        Severity.ERROR,
        "m",
        (),
        "w.yaml",
        1,
        1,
        compile_expression("object.size() < 3"),
    )
    enforcer = Enforcer([on_field, whole], None)
    docs = [{"n": 1, "t": "a"}, {"n": 1, "t": "b"}, {"n": 1, "t": "b", "x": 0}, {"n": 5, "t": "b"}]
    for doc in docs:
        got = [(o.rule.id, o.fired, o.message) for o in enforcer.outcomes("source", doc)]
        want = [
            (r.id, o.fired, o.message)
            for r in (on_field, whole)
            for o in [evaluate_rule(r, bindings(doc))]
        ]
        assert got == want
