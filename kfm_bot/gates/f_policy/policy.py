"""Gate F, policy and contract tests: custom CEL rules, policy fixture tests, schemas, evidence.

Custom rules fire under their own ids, `F.rule.<name>` (see `policies/rules/`). They are read
from the base commit, so a pull request cannot loosen the rules it is judged by (a PR that
changes policies/ is judged under the head's rules too: see `gates.engine.evaluate`); the policy
tests run the head's rules on the head's fixtures, so a rule change must keep its tests green.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kfm_bot.findings import Finding, error
from kfm_bot.gates.engine.context import GateContext
from kfm_bot.gates.engine.reading import dataset_files
from kfm_bot.gates.f_policy.policy_docs import evidence_findings, schema_findings
from kfm_bot.models.source import SourceEntry
from kfm_bot.models.spec import PipelineSpec
from kfm_bot.policy.cel_rules import CompiledRule, Outcome, load_rules

if TYPE_CHECKING:
    from kfm_bot.policy.policyset import PolicySet
from kfm_bot.policy.enforce import Enforcer

RULES: dict[str, str] = {
    "F.schema": "A document does not validate against its schema; fix the named field.",
    "F.rule-invalid": "A custom rule does not load, compile or evaluate to a bool; fix its CEL.",
    "F.policy-test-failed": "A policy fixture's expected rules did not fire exactly; fix the rule "
    "or the fixture's `expect`.",
    "F.policy-test-invalid": "A policy test file is not a regular, well-formed fixture; fix it.",
    "F.policy-test-uncovered": "No fixture expects a rule to fire; add a failing fixture for it.",
    "F.policy-missing": "A policy file is missing or invalid; restore or fix it.",
    "F.evidence-unresolved": "None of a dataset's receipts, catalog records or QA report exists; "
    "add them or fix the paths in the spec.",
}


def run(ctx: GateContext) -> list[Finding]:
    from kfm_bot.policy.policyset import load_policies

    findings: list[Finding] = list(getattr(ctx.policies, "findings", []) or [])
    head_policies = load_policies(ctx.docs) if ctx.base_docs is not None else ctx.policies
    findings += getattr(head_policies, "findings", []) or []
    store = ctx.policy_store()
    rules, problems = load_rules(store, store.snapshot)
    findings += problems
    findings += _policy_tests(ctx, head_policies)
    findings += _enforce(ctx, rules)
    findings += schema_findings(ctx)
    findings += evidence_findings(ctx)
    return list(dict.fromkeys(findings))


def _policy_tests(ctx: GateContext, policies: PolicySet | None) -> list[Finding]:
    """Always run, whatever the scope: a broken policy test blocks every pull request."""
    from kfm_bot.policy.policy_tests import (
        coverage_findings,
        load_policy_tests,
        result_findings,
        run_policy_tests,
    )

    rules, findings = load_rules(ctx.docs, ctx.head)
    cases, problems = load_policy_tests(ctx.docs, ctx.head)
    findings += problems
    findings += result_findings(run_policy_tests(rules, cases, policies))
    return findings + coverage_findings(rules, cases)


def _enforce(ctx: GateContext, rules: list[CompiledRule]) -> list[Finding]:
    if not rules:
        return []
    enforcer = Enforcer(rules, ctx.policies)
    findings: list[Finding] = []
    for source_id in ctx.in_scope_sources():
        path = ctx.source_path(source_id)
        data = ctx.docs.fitting_data(path, SourceEntry)
        if data is not None:
            findings += _findings(ctx, path, enforcer.outcomes("source", data))
    files = dataset_files(ctx)
    for slug in ctx.in_scope_datasets():
        path = ctx.spec_path(slug)
        spec = ctx.docs.model(path, PipelineSpec)
        if spec is None:
            continue
        sources = {s: ctx.docs.data(ctx.source_path(s)) for s in spec.sources}
        present = {s: d for s, d in sources.items() if isinstance(d, dict)}
        relative = [p[len(f"specs/{slug}/") :] for p in files.get(slug, [])]
        outcomes = enforcer.outcomes("spec", ctx.docs.data(path) or {}, present, relative)
        findings += _findings(ctx, path, outcomes)
    return findings


def _findings(ctx: GateContext, path: str, outcomes: list[Outcome]) -> list[Finding]:
    found: list[Finding] = []
    for outcome in outcomes:
        rule = outcome.rule
        if outcome.problem is not None:
            msg = (
                f"rule {rule.id} could not be evaluated on {path} ({outcome.problem}); "
                "guard optional fields with has() and compare like types"
            )
            found.append(error("F.rule-invalid", msg, rule.path, rule.line, rule.column))
        elif outcome.fired:
            line, col = _locate(ctx, path, rule.field_path)
            found.append(Finding(rule.id, rule.severity, outcome.message, path, line, col))
    return found


def _locate(ctx: GateContext, path: str, pointer: tuple[str, ...]) -> tuple[int, int]:
    loaded = ctx.docs.load(path)
    return (1, 1) if loaded is None else loaded.locate(pointer)
