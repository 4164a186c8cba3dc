"""`issue_comment`: a steward command (`/kfm hold`, `/kfm unhold`, ...) on a PR ⇒ approvals."""

from __future__ import annotations

from kfm_bot.github.events import Event
from kfm_bot.github.handlers.review import run_approvals

ACTIONS = {"created", "edited"}


def has_command(body: str) -> bool:
    """True when a line holds a command or something made to look like one (flagged later)."""
    from kfm_bot.approvals.slash_commands import parse_commands

    commands, problems = parse_commands(body)
    return bool(commands or problems)


def handle(event: Event) -> int:
    issue = event.payload.get("issue")
    comment = event.payload.get("comment")
    if event.action not in ACTIONS:
        return event.ignore("a deleted comment changes nothing: holds live in the carried state")
    if not isinstance(issue, dict) or not issue.get("pull_request"):
        return event.ignore("the comment is not on a pull request")
    if not isinstance(comment, dict) or not has_command(str(comment.get("body") or "")):
        return event.ignore("the comment holds no /kfm command")
    if issue.get("state") != "open":
        return event.ignore("the pull request is not open")
    pull = event.client().get_pull(int(issue["number"]))
    return run_approvals(event, pull, with_comments=True)
