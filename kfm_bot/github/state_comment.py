"""Writing the bot's state comment on a PR (content: approvals/state_merge.py): edit or create.

At most one write per PR and event, and none when the record already holds the new state;
the comments it inspects are those the approvals run listed anyway.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from kfm_bot.github.interface import Comment, GitHubClient, GitHubError, Pull

if TYPE_CHECKING:
    from kfm_bot.approvals.result import ApprovalResult
    from kfm_bot.approvals.state_seal import StateSeal


def save_record(
    client: GitHubClient,
    pull: Pull,
    comments: Sequence[Comment],
    result: ApprovalResult,
    seal: StateSeal | None = None,
) -> str | None:
    """Bring the PR's record up to `result.state`; a sentence for the log when it acted or
    could not, None when nothing had to change.

    A PR gets a record only once its state holds something a push could drop (see
    `worth_keeping`): most PRs never get one, and none is ever deleted.
    """
    from kfm_bot.approvals.state_merge import record_body, worth_keeping
    from kfm_bot.github.convert import principal

    number = pull.number
    if result.record_id is None and not worth_keeping(result.state, pull.author.id):
        return None
    if not result.record_bots:
        return (
            "kfm-bot keeps no approval state record on this PR: list the bot's account under "
            "`bots:` in policies/stewards.yaml"
        )
    body = record_body(result.state, seal)
    if result.record_id is not None:
        if result.record_state == result.state:
            return None
        try:
            client.edit_issue_comment(result.record_id, body)
            return f"kfm-bot updated the approval state record of #{number}"
        except GitHubError as exc:
            if exc.status not in (403, 404):  # deleted meanwhile, or not editable: a new one
                raise
    # A record by an unlisted bot account is most likely this bot's own, made before the
    # roster named it: never add a second copy on every run.
    from kfm_bot.approvals.state_merge import is_record

    for c in comments:
        user = principal(c.user)
        if is_record(c.body) and user and user.type == "Bot" and user.id not in result.record_bots:
            return (
                f"the approval state record by {user.login} is not trusted: add that account "
                "under `bots:` in policies/stewards.yaml"
            )
    made = client.create_issue_comment(number, body)
    return f"kfm-bot recorded the approval state of #{number} in comment {made.id}"
