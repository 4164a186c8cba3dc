"""Routing an event to its handler (`kfm-bot action`, the one entry point of every workflow).

The table holds the handler functions themselves, so a renamed or missing handler is an import
error (and a mypy error), not a lookup that fails only when its event arrives. Importing every
handler module stays cheap: each loads its use case (kfm_bot.app) only once it acts.
"""

from __future__ import annotations

from collections.abc import Callable

from kfm_bot.handlers import comment, merge_group, pull_request, push, review, workflow_run
from kfm_bot.handlers.event import Event

Handler = Callable[[Event], int]

# Event name -> its handler; the payload models of github/payloads.py cover the same names.
HANDLERS: dict[str, Handler] = {
    "pull_request": pull_request.handle,
    "pull_request_target": pull_request.handle,
    "pull_request_review": review.handle,
    "issue_comment": comment.handle,
    "workflow_run": workflow_run.handle,
    "push": push.handle,
    "merge_group": merge_group.handle,
}


def dispatch(event: Event) -> int:
    handler = HANDLERS.get(event.name)
    if handler is None:
        return event.ignore("kfm-bot has nothing to do for this event")
    from kfm_bot.github.payloads import check_payload

    check_payload(event.name, event.payload)  # handlers then read fields that are there
    return handler(event)
