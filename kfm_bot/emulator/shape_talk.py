"""Reviews and issue comments in GitHub's JSON shapes."""

from __future__ import annotations

from typing import Any

from kfm_bot.emulator.core import Core
from kfm_bot.emulator.shape_users import user_by_login
from kfm_bot.emulator.state import Comment, Review

JSON = dict[str, Any]


def review(core: Core, item: Review) -> JSON:
    pull_url = core.url(f"/repos/{item.repo}/pulls/{item.number}")
    html = core.html(f"/{item.repo}/pull/{item.number}#pullrequestreview-{item.id}")
    return {
        "id": item.id,
        "node_id": f"PRR_{item.id}",
        "user": user_by_login(core, item.user),
        "body": item.body,
        "state": item.state,
        "commit_id": item.commit_id,
        "html_url": html,
        "pull_request_url": pull_url,
        "submitted_at": item.submitted_at,
        "_links": {"html": {"href": html}, "pull_request": {"href": pull_url}},
        "author_association": "CONTRIBUTOR",
    }


def comment(core: Core, item: Comment) -> JSON:
    return {
        "id": item.id,
        "node_id": f"IC_{item.id}",
        "body": item.body,
        "url": core.url(f"/repos/{item.repo}/issues/comments/{item.id}"),
        "html_url": core.html(f"/{item.repo}/pull/{item.number}#issuecomment-{item.id}"),
        "issue_url": core.url(f"/repos/{item.repo}/issues/{item.number}"),
        "user": user_by_login(core, item.user),
        "created_at": item.created_at,
        "updated_at": item.updated_at,
        "author_association": "CONTRIBUTOR",
    }
