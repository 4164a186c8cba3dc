"""`pull_request_review`: recompute the approvals check run (2 or 3 requests for a review)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kfm_bot.errors import EXIT_OK
from kfm_bot.github import convert
from kfm_bot.handlers.event import Event

if TYPE_CHECKING:
    from kfm_bot.github.convert import PullJSON

ACTIONS = {"submitted", "edited", "dismissed"}


def handle(event: Event) -> int:
    pr: PullJSON | None = event.payload.get("pull_request")  # its fields checked by payloads.py
    if event.action not in ACTIONS or not isinstance(pr, dict):
        return event.ignore("only submitted, edited and dismissed reviews change approvals")
    if pr.get("state") != "open":
        return event.ignore("the pull request is not open")
    from kfm_bot.app import approvals_check  # loaded only for an event it acts on

    pull = convert.pull(pr)  # the payload's PR: no need to fetch it again
    review = event.payload.get("review")
    approvals_check.check_pull(event, pull, with_comments=False, review=review)
    return EXIT_OK
