"""`pull_request_review`: recompute the approvals check run (4 requests)."""

from __future__ import annotations

from kfm_bot.errors import EXIT_OK
from kfm_bot.github import approvals_run, checks, convert
from kfm_bot.github.events import Event
from kfm_bot.github.interface import Pull
from kfm_bot.github.protect import protected_values

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
    from kfm_bot import gitio
    from kfm_bot.repo.snapshot import CommitSnapshot

    client = event.client()
    runs = client.list_check_runs(pull.head_sha)
    item = approvals_run.evaluate(client, event.workspace, pull, runs, with_comments)
    repo = gitio.open_repo(event.workspace)
    protected = protected_values(CommitSnapshot(repo, pull.head_sha))
    existing = checks.find_run(runs, checks.APPROVALS_CHECK)
    if event.post:
        approvals_run.post(client, [item], existing, protected)
    event.log(f"kfm-bot: approvals {item.result.conclusion} on {pull.head_sha[:12]}")
    return EXIT_OK
