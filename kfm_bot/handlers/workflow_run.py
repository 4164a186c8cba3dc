"""`workflow_run`: the privileged path; recompute gates and approvals for the PRs of a head commit.

It trusts only the head commit and repository of the event: the PRs are looked up through the
API (`workflow_run.pull_requests` is empty for forks), their files are fetched as git objects
into the default branch's checkout and read as data, and the worst result is posted.
"""

from __future__ import annotations

import re

from kfm_bot.errors import EXIT_FAILED, EXIT_OK
from kfm_bot.handlers.event import Event

_SHA = re.compile(r"^[0-9a-f]{40}$")
REVIEW_EVENTS = {"pull_request_review", "pull_request_review_comment"}
# The review relay also sees comments; review-relay.yml's comment job handles a `/kfm` command
# itself, and privileged.yml skips their relay runs: a stray one does nothing here either.
COMMENT_EVENTS = {"issue_comment"}


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
    # One read (a GraphQL query) for the PRs whose head this is, their reviews, commits and
    # comments, and the commit's check runs; the client lists over REST what it cuts short
    # (more than 100 of something, or a commit only a fork holds, which GitHub's listing by
    # commit does not know).
    snapshot = client.head_snapshot(sha)
    repo = event.repository.lower()
    reads = [r for r in snapshot.pulls if r.pull.base_repo.lower() in ("", repo)]
    pulls = [r.pull for r in reads]
    if not pulls:
        return event.ignore(f"no open pull request has head {sha[:12]}")
    event.log("kfm-bot: pull requests " + ", ".join(f"#{p.number}" for p in pulls))
    runs = list(snapshot.runs)
    # Race-safety: a steward's `/kfm hold` posted while this run works must not be lost
    # behind its verdict. The REST path read the comments last, just before the approvals
    # were evaluated and posted. The snapshot reads them in the same query as everything
    # else, after the event, and the approvals are evaluated and posted first, before the
    # gates: between reading the comments and posting the verdict only the approvals
    # evaluation runs, as before, so the comments are no older at the post than they were.
    # One query also reads the head, reviews, commits and comments at one moment, where the
    # separate REST reads could straddle a push. A comment that lands later fires its own
    # event, whose comment job handles the command.
    approvals_check.check_head(event, client, pulls, runs, reads=reads)
    if str(run.get("event") or "") in REVIEW_EVENTS:
        return EXIT_OK
    code = pull_gates.check_head(event, client, pulls, runs)
    return code if code == EXIT_FAILED else EXIT_OK
