"""`pull_request_review`: recompute the approvals check run (4 requests)."""

from __future__ import annotations

from kfm_bot.errors import EXIT_OK
from kfm_bot.github import approvals_run, checks, convert
from kfm_bot.github.events import Event
from kfm_bot.github.interface import CheckRun, Pull
from kfm_bot.github.protect import protected_values
from kfm_bot.github.summary import write_step_summary

ACTIONS = {"submitted", "edited", "dismissed"}


def handle(event: Event) -> int:
    pr = event.payload.get("pull_request")
    if event.action not in ACTIONS or not isinstance(pr, dict):
        return event.ignore("only submitted, edited and dismissed reviews change approvals")
    if pr.get("state") != "open":
        return event.ignore("the pull request is not open")
    pull = convert.pull(pr)  # the payload's PR: no need to fetch it again
    return run_approvals(event, pull, with_comments=False)


def run_approvals(event: Event, pull: Pull, with_comments: bool) -> int:
    client = event.client()
    runs = client.list_check_runs(pull.head_sha)
    # The privileged run posts an approvals run on every new head, so the carried state is
    # normally right there; otherwise only the previous head is consulted (economy).
    item = approvals_run.evaluate(client, event.workspace, pull, runs, with_comments, lookups=1)
    publish(event, [item], runs)
    return EXIT_OK


def publish(event: Event, items: list[approvals_run.PullApprovals], runs: list[CheckRun]) -> None:
    """Post the approvals run (one request), and show it in the log and the job summary."""
    from kfm_bot import gitio
    from kfm_bot.repo.snapshot import CommitSnapshot

    head = items[0].pull.head_sha
    protected = protected_values(CommitSnapshot(gitio.open_repo(event.workspace), head))
    result = approvals_run.check_result(items, protected)
    if event.post:
        existing = checks.settle(event.client(), runs, checks.APPROVALS_CHECK)
        checks.finish(event.client(), head, result, existing, protected)
    write_step_summary(event.step_summary, result.summary, protected)
    numbers = ", ".join(f"#{i.pull.number}" for i in items)
    event.log(f"kfm-bot: approvals {result.conclusion} on {head[:12]} ({numbers})")
