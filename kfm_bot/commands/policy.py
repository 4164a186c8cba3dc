"""`kfm-bot policy test`: run the fixture-driven policy tests of `policies/tests/` on their own."""

from __future__ import annotations

from pathlib import Path

import click

from kfm_bot.commands.options import repo_option
from kfm_bot.errors import EXIT_FAILED, EXIT_OK, UsageError
from kfm_bot.findings import Finding


@click.group("policy")
def policy() -> None:
    """Work with the custom policy rules and their tests."""


@policy.command("test")
@repo_option
def test_command(repo_dir: Path) -> int:
    """Run every policy rule on every fixture; exit 1 when a fixture's expectation fails."""
    return run(repo_dir)


def run(repo_dir: Path) -> int:
    from kfm_bot.policy.cel_rules import load_rules
    from kfm_bot.policy.dirsnap import PolicyDirSnapshot
    from kfm_bot.policy.policy_tests import (
        coverage_findings,
        load_policy_tests,
        run_policy_tests,
    )
    from kfm_bot.policy.policyset import load_policies
    from kfm_bot.repo.documents import DocumentStore
    from kfm_bot.report.escape import log_line

    if not (repo_dir / "policies").is_dir():
        raise UsageError(f"{repo_dir / 'policies'} is not a directory; pass --repo DIR")
    docs = DocumentStore(PolicyDirSnapshot(repo_dir))
    rules, problems = load_rules(docs, docs.snapshot)
    cases, more = load_policy_tests(docs, docs.snapshot)
    policies = load_policies(docs)
    broken = [f for f in [*problems, *more, *policies.findings] if f.is_error]
    for finding in broken:
        click.echo(log_line(_where(finding) + finding.message), err=True)
    if broken:
        raise UsageError(f"{len(broken)} problem(s) make the policies unreadable; fix them first")
    results = run_policy_tests(rules, cases, policies)
    for result in results:
        status = "PASS" if result.passed else "FAIL"
        detail = "" if result.passed else f": {result.reason()}"
        # a fixture's name and the reason quote the PR's text: one escaped log line each
        click.echo(log_line(f"{status}  {result.case.path}  {result.case.test.name}{detail}"))
    uncovered = coverage_findings(rules, cases)
    for finding in uncovered:
        click.echo(log_line(f"FAIL  {_where(finding)}{finding.message}"))
    failed = sum(not r.passed for r in results)
    passed = len(results) - failed
    click.echo(f"{len(results)} policy tests, {len(rules)} rules: {passed} passed, {failed} failed")
    if uncovered:
        click.echo(f"{len(uncovered)} rule(s) have no fixture that expects them to fire")
    return EXIT_FAILED if failed or uncovered else EXIT_OK


def _where(finding: Finding) -> str:
    if finding.path is None:
        return ""
    return f"{finding.path}:{finding.line or 1}:{finding.column or 1}: "
