"""`issue_comment`: a steward command (`/kfm hold`, `/kfm unhold`, ...) on a PR ⇒ approvals."""

from __future__ import annotations

from kfm_bot.errors import EXIT_OK
from kfm_bot.handlers.event import Event

ACTIONS = {"created", "edited"}


def handle(event: Event) -> int:
    issue = event.payload.get("issue")
    comment = event.payload.get("comment")
    if event.action not in ACTIONS:
        return event.ignore("a deleted comment changes nothing: holds live in the carried state")
    if not isinstance(issue, dict) or not issue.get("pull_request"):
        return event.ignore("the comment is not on a pull request")
    from kfm_bot.app import approvals_check  # loaded only for a comment it may act on

    if not isinstance(comment, dict) or not approvals_check.has_command(
        str(comment.get("body") or "")
    ):
        return event.ignore("the comment holds no /kfm command")
    if issue.get("state") != "open":
        return event.ignore("the pull request is not open")
    pull = event.client().get_pull(int(issue["number"]))
    approvals_check.check_pull(event, pull, with_comments=True)
    return EXIT_OK
