"""Routing an event to its handler (`kfm-bot action`, the one entry point of every workflow)."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from kfm_bot.handlers.event import Event

# Event name -> "module:function" of its handler; imported only for the event at hand.
HANDLERS: dict[str, str] = {
    "pull_request": "kfm_bot.handlers.pull_request:handle",
    "pull_request_target": "kfm_bot.handlers.pull_request:handle",
    "pull_request_review": "kfm_bot.handlers.review:handle",
    "issue_comment": "kfm_bot.handlers.comment:handle",
    "workflow_run": "kfm_bot.handlers.workflow_run:handle",
    "push": "kfm_bot.handlers.push:handle",
}


def dispatch(event: Event) -> int:
    target = HANDLERS.get(event.name)
    if target is None:
        return event.ignore("kfm-bot has nothing to do for this event")
    from kfm_bot.github.payloads import check_payload

    check_payload(event.name, event.payload)  # handlers then read fields that are there
    module, _, attr = target.partition(":")
    handler: Callable[[Event], int] = getattr(importlib.import_module(module), attr)
    return handler(event)
