"""`workflow_run`: the privileged path; recompute gates and approvals for the PRs of a head commit.

It trusts only the head commit and repository of the event: the PRs are looked up through the
API (`workflow_run.pull_requests` is empty for forks), their files are fetched as git objects
into the default branch's checkout and read as data, and the worst result is posted.
"""

from __future__ import annotations

import re

from kfm_bot.errors import EXIT_FAILED, EXIT_OK
from kfm_bot.github import approvals_run, check_runs
from kfm_bot.github.events import Event
from kfm_bot.github.handlers.pull_request import report_gates
from kfm_bot.github.handlers.review import publish
from kfm_bot.github.interface import CheckRun, GitHubClient, Pull
from kfm_bot.github.pull_workspace import evaluate_pull, worst

_SHA = re.compile(r"^[0-9a-f]{40}$")
REVIEW_EVENTS = {"pull_request_review", "pull_request_review_comment"}


def open_pulls(event: Event, client: GitHubClient, sha: str) -> list[Pull]:
    """Open PRs of this repository whose head is `sha`; the full listing when the commit's
    own listing knows none (a commit that only a fork holds)."""
    found = client.pulls_for_commit(sha)
    if not any(p.head_sha == sha for p in found):
        found = client.list_open_pulls()
    pulls = [p for p in found if p.head_sha == sha and p.state == "open"]
    return [p for p in pulls if p.base_repo.lower() in ("", event.repository.lower())]


def post_gates(event: Event, client: GitHubClient, pulls: list[Pull], runs: list[CheckRun]) -> int:
    sha = pulls[0].head_sha
    if event.post:
        existing = check_runs.settle(client, runs, check_runs.GATES_CHECK)
    else:
        existing = check_runs.find_run(runs, check_runs.GATES_CHECK)
    run = check_runs.start(client, sha, check_runs.GATES_CHECK, existing) if event.post else None
    gates = worst([evaluate_pull(event.workspace, p) for p in pulls])
    if event.post:
        result = check_runs.gates_result(gates.report)
        if len(pulls) > 1:
            result.summary = (
                f"Worst of {len(pulls)} open pull requests: #{gates.pull.number}\n\n"
                + result.summary
            )
        posted = existing.annotations_count if existing else 0
        check_runs.finish(client, sha, result, run, gates.protected, posted)
    return report_gates(event, gates)


def post_approvals(
    event: Event, client: GitHubClient, pulls: list[Pull], runs: list[CheckRun]
) -> None:
    items = [approvals_run.evaluate(client, event.workspace, p, runs, True) for p in pulls]
    publish(event, items, runs)


def handle(event: Event) -> int:
    run = event.payload.get("workflow_run")
    if event.action != "completed" or not isinstance(run, dict):
        return event.ignore("only a completed workflow run is acted on")
    sha = str(run.get("head_sha") or "")
    if not _SHA.match(sha):
        return event.ignore("the workflow run carries no head commit")
    client = event.client()
    pulls = open_pulls(event, client, sha)
    if not pulls:
        return event.ignore(f"no open pull request has head {sha[:12]}")
    event.log("kfm-bot: pull requests " + ", ".join(f"#{p.number}" for p in pulls))
    runs = client.list_check_runs(sha)
    code = EXIT_OK
    if str(run.get("event") or "") not in REVIEW_EVENTS:
        code = post_gates(event, client, pulls, runs)
    post_approvals(event, client, pulls, runs)
    return code if code == EXIT_FAILED else EXIT_OK
