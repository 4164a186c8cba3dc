"""`workflow_run`: the privileged path; recompute gates and approvals for the PRs of a head commit.

It trusts only the head commit and repository of the event: the PRs are looked up through the
API (`workflow_run.pull_requests` is empty for forks), their files are fetched as git objects
into the default branch's checkout and read as data, and the worst result is posted.
"""

from __future__ import annotations

import re

from kfm_bot.errors import EXIT_FAILED, EXIT_OK
from kfm_bot.github.interface import GitHubClient, Pull
from kfm_bot.handlers.event import Event

_SHA = re.compile(r"^[0-9a-f]{40}$")
REVIEW_EVENTS = {"pull_request_review", "pull_request_review_comment"}
# The review relay also sees comments; review-relay.yml's comment job handles a `/kfm` command
# itself, and privileged.yml skips their relay runs: a stray one does nothing here either.
COMMENT_EVENTS = {"issue_comment"}


def open_pulls(event: Event, client: GitHubClient, sha: str) -> list[Pull]:
    """Open PRs of this repository whose head is `sha`; the full listing when the commit's
    own listing knows none (a commit that only a fork holds)."""
    found = client.pulls_for_commit(sha)
    if not any(p.head_sha == sha for p in found):
        found = client.list_open_pulls()
    pulls = [p for p in found if p.head_sha == sha and p.state == "open"]
    return [p for p in pulls if p.base_repo.lower() in ("", event.repository.lower())]


def handle(event: Event) -> int:
    run = event.payload.get("workflow_run")
    if event.action != "completed" or not isinstance(run, dict):
        return event.ignore("only a completed workflow run is acted on")
    if str(run.get("event") or "") in COMMENT_EVENTS:
        return event.ignore("a comment's relay: the comment job handles /kfm commands itself")
    sha = str(run.get("head_sha") or "")
    if not _SHA.match(sha):
        return event.ignore("the workflow run carries no head commit")
    from kfm_bot.app import approvals_check, pull_gates  # loaded only for a run it acts on

    client = event.client()
    pulls = open_pulls(event, client, sha)
    if not pulls:
        return event.ignore(f"no open pull request has head {sha[:12]}")
    event.log("kfm-bot: pull requests " + ", ".join(f"#{p.number}" for p in pulls))
    runs = client.list_check_runs(sha)
    code = EXIT_OK
    if str(run.get("event") or "") not in REVIEW_EVENTS:
        code = pull_gates.check_head(event, client, pulls, runs)
    approvals_check.check_head(event, client, pulls, runs)
    return code if code == EXIT_FAILED else EXIT_OK
