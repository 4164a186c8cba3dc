"""Gate E's verdicts: a dataset promotes only when its QA report and its receipts say `pass`.

What each status means (README "QA results", DESIGN section 5):
- the QA report's overall `status`: only `pass` passes; `warn` and `fail` are errors. A
  report that is unreadable or has no status is not a `pass` either (fail closed).
- one QA check: `pass` and `skip` are fine; `warn` is shown as a warning finding and does
  not block (the overall status must still be `pass`); `fail`, or any other value, is an
  error, even when the overall status claims `pass`.
- a receipt's `validation.status`: only `pass` passes; `warn`, `degraded` and `fail` are errors.
"""

from __future__ import annotations

from collections.abc import Mapping

from kfm_bot.findings import Finding, warning
from kfm_bot.gates.engine.context import GateContext
from kfm_bot.gates.engine.reading import located, quoted

Pointer = tuple[str | int, ...]

RULES: dict[str, str] = {
    "E.qa-failed": "the QA report's overall `status` is not `pass`: fix the data, re-run QA.",
    "E.qa-check-failed": "a QA check did not pass (`fail`): fix what it found and re-run QA.",
    "E.qa-check-warn": "a QA check says `warn`: review it; a warning only, it does not block.",
    "E.validation-failed": "a receipt's validation.status is not `pass`: fix the run, re-run it.",
}
# Check statuses that neither block nor warn: a skipped check is recorded, not judged.
QUIET_CHECKS = frozenset({"pass", "skip"})


def qa_report(ctx: GateContext, path: str) -> list[Finding]:
    """Findings for the QA report at `path` (an existing regular file)."""
    data = ctx.docs.data(path)
    if data is None:
        msg = "the QA report cannot be read, so it does not say `pass`; fix the file"
        return [located(ctx, "E.qa-failed", msg, path)]
    findings: list[Finding] = []
    status = data.get("status")
    if status != "pass":
        msg = f"the QA report's status is {_said(status)}; only `pass` promotes: fix and re-run QA"
        findings.append(located(ctx, "E.qa-failed", msg, path, ("status",)))
    checks = data.get("checks")
    for i, check in enumerate(checks if isinstance(checks, list) else []):
        findings += _check(ctx, path, i, check)
    return findings


def _check(ctx: GateContext, path: str, i: int, check: object) -> list[Finding]:
    if not isinstance(check, dict):
        msg = f"QA check {i} is not an object with `id` and `status`; it cannot say `pass`"
        return [located(ctx, "E.qa-check-failed", msg, path, ("checks", i))]
    status, name = check.get("status"), quoted(check.get("id"))
    if status in QUIET_CHECKS:
        return []
    pointer = ("checks", i, "status")
    if status == "warn":
        msg = f"QA check {name} says `warn`; review it (it does not block promotion)"
        return [_warning(ctx, "E.qa-check-warn", msg, path, pointer)]
    msg = f"QA check {name} says {_said(status)}; a failing QA result never promotes"
    return [located(ctx, "E.qa-check-failed", msg, path, pointer)]


def _warning(ctx: GateContext, rule: str, msg: str, path: str, pointer: Pointer) -> Finding:
    at = located(ctx, rule, msg, path, pointer)
    return warning(rule, msg, path, at.line, at.column)


def _said(status: object) -> str:
    return "missing" if status is None else quoted(status)


def receipt_validation(ctx: GateContext, path: str, receipt: Mapping[str, object]) -> list[Finding]:
    """An error unless the receipt at `path` records `validation.status: pass`."""
    validation = receipt.get("validation")
    status = validation.get("status") if isinstance(validation, dict) else None
    if status == "pass":
        return []
    msg = f"validation.status is {_said(status)}; only a run whose validation passed promotes"
    return [located(ctx, "E.validation-failed", msg, path, ("validation", "status"))]
