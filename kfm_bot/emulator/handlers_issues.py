"""Handlers for the issue side of pull requests: the issue, its comments and labels."""

from __future__ import annotations

from typing import Any

from kfm_bot.emulator import shape_pulls, shape_talk
from kfm_bot.emulator.call import Call
from kfm_bot.emulator.core import ApiError, now_iso
from kfm_bot.emulator.routes import Routes
from kfm_bot.emulator.state import Comment, Pull

ROUTES = Routes()  # composed with the other handler modules' in endpoints.py

COMMENT_LIMIT = 65536


def _issue(call: Call) -> Pull:
    return call.core.pull(call.repo(), call.int_param("issue_number"))


def _comment(call: Call) -> Comment:
    repo, comment_id = call.repo(), call.int_param("comment_id")
    for item in call.core.state.comments:
        if item.repo == repo.full_name and item.id == comment_id:
            return item
    raise ApiError(404, "Not Found")


def _check_body(body: str) -> None:
    if len(body) > COMMENT_LIMIT:
        raise ApiError(
            422,
            "Validation Failed",
            [
                {
                    "resource": "IssueComment",
                    "code": "custom",
                    "field": "body",
                    "message": f"body is too long (maximum is {COMMENT_LIMIT} characters)",
                }
            ],
        )


@ROUTES.add("GET", "/repos/{owner}/{repo}/issues/{issue_number}")
def get_issue(call: Call) -> tuple[int, Any]:
    return 200, shape_pulls.issue(call.core, _issue(call))


@ROUTES.add("GET", "/repos/{owner}/{repo}/issues/{issue_number}/comments", paginated=True)
def list_comments(call: Call) -> tuple[int, Any]:
    pull = _issue(call)
    found = [c for c in call.core.state.comments if (c.repo, c.number) == (pull.repo, pull.number)]
    since = call.query.get("since")
    if since:
        found = [c for c in found if c.updated_at >= since]
    return 200, [shape_talk.comment(call.core, c) for c in found]


@ROUTES.add("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments")
def create_comment(call: Call) -> tuple[int, Any]:
    pull = _issue(call)
    login = call.require_login()
    _check_body(call.body["body"])
    stamp = now_iso()
    item = Comment(
        pull.repo, pull.number, call.core.state.new_id(), login, call.body["body"], stamp, stamp
    )
    call.core.state.comments.append(item)
    return 201, shape_talk.comment(call.core, item)


@ROUTES.add("GET", "/repos/{owner}/{repo}/issues/comments/{comment_id}")
def get_comment(call: Call) -> tuple[int, Any]:
    return 200, shape_talk.comment(call.core, _comment(call))


@ROUTES.add("PATCH", "/repos/{owner}/{repo}/issues/comments/{comment_id}")
def edit_comment(call: Call) -> tuple[int, Any]:
    item = _comment(call)
    login = call.require_login()
    if login.lower() != item.user.lower():
        call.require_write(call.repo())
    _check_body(call.body["body"])
    item.body, item.updated_at = call.body["body"], now_iso()
    return 200, shape_talk.comment(call.core, item)


@ROUTES.add("GET", "/repos/{owner}/{repo}/issues/{issue_number}/labels", paginated=True)
def list_labels(call: Call) -> tuple[int, Any]:
    pull = _issue(call)
    return 200, [shape_pulls.label(call.core, pull.repo, name) for name in pull.labels]


@ROUTES.add("POST", "/repos/{owner}/{repo}/issues/{issue_number}/labels")
def add_labels(call: Call) -> tuple[int, Any]:
    pull = _issue(call)
    call.require_write(call.repo())
    body = call.body
    names = body if isinstance(body, list) else body.get("labels", [])
    for name in names:
        name = name["name"] if isinstance(name, dict) else str(name)
        if name not in pull.labels:
            pull.labels.append(name)
    return 200, [shape_pulls.label(call.core, pull.repo, name) for name in pull.labels]
