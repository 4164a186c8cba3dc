"""`pull_request`: run the gates on the PR and post the gates check run on its head commit."""

from __future__ import annotations

from kfm_bot.errors import EXIT_FAILED, EXIT_OK
from kfm_bot.github import checks, convert
from kfm_bot.github.events import Event
from kfm_bot.github.pullwork import PullGates, evaluate_pull
from kfm_bot.github.summary import log_findings, write_step_summary

ACTIONS = {"opened", "synchronize", "reopened", "ready_for_review"}


def wanted(event: Event) -> str | None:
    """Why the event is ignored, or None when the gates must run."""
    pr = event.payload.get("pull_request")
    if not isinstance(pr, dict):
        return "the payload has no pull_request"
    new_base = event.action == "edited" and "base" in (event.payload.get("changes") or {})
    if event.action not in ACTIONS and not new_base:
        return "only opened, synchronize, reopened, ready_for_review and a new base are checked"
    if pr.get("state") != "open":
        return "the pull request is not open"
    return None


def report_gates(event: Event, gates: PullGates) -> int:
    """Log and job summary, always; the check run too when posting."""
    from kfm_bot.report.markdown import render

    log_findings(event.log, gates.report, gates.protected)
    # The blank line after it parts it from whatever a later step appends.
    write_step_summary(event.step_summary, render(gates.report) + "\n", gates.protected)
    event.log(f"kfm-bot: gates {gates.report.conclusion} on {gates.pull.head_sha[:12]}")
    return EXIT_FAILED if gates.report.conclusion == "failure" else EXIT_OK


def post_gates(event: Event, gates: PullGates) -> None:
    client = event.client()
    sha = gates.pull.head_sha
    existing = checks.settle(client, client.list_check_runs(sha), checks.GATES_CHECK)
    run = checks.start(client, sha, checks.GATES_CHECK, existing)
    result = checks.gates_result(gates.report)
    posted = existing.annotations_count if existing else 0
    checks.finish(client, sha, result, run, gates.protected, posted)


def handle(event: Event) -> int:
    why = wanted(event)
    if why is not None:
        return event.ignore(why)
    pull = convert.pull(event.payload["pull_request"])
    gates = evaluate_pull(event.workspace, pull)
    if event.post:
        post_gates(event, gates)
    return report_gates(event, gates)
