"""`pull_request_review`: recompute the approvals check run (4 requests for a plain review)."""

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
    review = event.payload.get("review")
    return run_approvals(event, pull, with_comments=False, review=review)


def changes_state(review: object) -> bool:
    """Whether a review can add to the carried state: a command in it, or changes requested."""
    from kfm_bot.github.handlers.comment import has_command

    if not isinstance(review, dict):
        return True
    state = str(review.get("state") or "").upper()
    return state == "CHANGES_REQUESTED" or has_command(str(review.get("body") or ""))


def run_approvals(event: Event, pull: Pull, with_comments: bool, review: object = None) -> int:
    client = event.client()
    runs = client.list_check_runs(pull.head_sha)
    # The privileged run posts an approvals run on every new head, so the carried state is
    # normally right there; otherwise only the previous head is consulted (economy). The
    # comments, and with them the PR's state record, are read when the head carries no state
    # (a force-push no run has seen yet) or when the review itself can add to the state, so
    # that the record is brought up to date: a plain approval stays at 4 requests.
    if not with_comments:
        with_comments = approvals_run.previous_state(runs, pull.number) is None or changes_state(
            review
        )
    item = approvals_run.evaluate(client, event.workspace, pull, runs, with_comments, lookups=1)
    publish(event, [item], runs)
    return EXIT_OK


def publish(event: Event, items: list[approvals_run.PullApprovals], runs: list[CheckRun]) -> None:
    """Keep each PR's state record, then post the approvals run (one request), and show it in
    the log and the job summary."""
    from kfm_bot import gitio
    from kfm_bot.github.state_record import save_record
    from kfm_bot.repo.snapshot import CommitSnapshot

    head = items[0].pull.head_sha
    protected = protected_values(CommitSnapshot(gitio.open_repo(event.workspace), head))
    result = approvals_run.check_result(items, protected)
    if event.post:
        for item in items:  # the record first: the state is durable before it is shown
            if item.comments is not None:
                said = save_record(event.client(), item.pull, item.comments, item.result)
                if said:
                    event.log(said)
        existing = checks.settle(event.client(), runs, checks.APPROVALS_CHECK)
        checks.finish(event.client(), head, result, existing, protected)
    write_step_summary(event.step_summary, result.summary + "\n", protected)
    numbers = ", ".join(f"#{i.pull.number}" for i in items)
    event.log(f"kfm-bot: approvals {result.conclusion} on {head[:12]} ({numbers})")
