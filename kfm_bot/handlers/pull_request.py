"""`pull_request`: run the gates on the PR and post the gates check run on its head commit."""

from __future__ import annotations

from kfm_bot.github import convert
from kfm_bot.handlers.event import Event

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


def handle(event: Event) -> int:
    why = wanted(event)
    if why is not None:
        return event.ignore(why)
    from kfm_bot.app import pull_gates  # loaded only for an event it acts on

    return pull_gates.check_pull(event, convert.pull(event.payload["pull_request"]))
