"""GitHub's JSON to the interface's plain records (and accounts to approvals principals), and
check-run bodies back to JSON.

The TypedDicts name the fields read of GitHub's REST answers (and of webhook payloads, which
share the shapes). GitHub's JSON is not validated on the way in: each field is converted
with int()/str()/bool() as it is read, so a value of another JSON type fails loudly here.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NotRequired, TypedDict

from kfm_bot.github.interface import (
    CheckOutput,
    CheckRun,
    Comment,
    Commit,
    OutputBody,
    Pull,
    Review,
    User,
)

if TYPE_CHECKING:
    from kfm_bot.approvals.facts import Principal

_NEXT = re.compile(r'<([^>]+)>;\s*rel="next"')


class UserJSON(TypedDict, total=False):
    id: int | None
    login: str
    type: str


class RepoJSON(TypedDict, total=False):
    full_name: str


class BranchJSON(TypedDict):
    sha: str
    ref: NotRequired[str]
    repo: NotRequired[RepoJSON | None]  # None: the fork was deleted


class PullJSON(TypedDict):
    number: int
    head: BranchJSON
    base: BranchJSON
    state: NotRequired[str]
    user: NotRequired[UserJSON | None]
    draft: NotRequired[bool]
    merged: NotRequired[bool]
    merged_at: NotRequired[str | None]
    merge_commit_sha: NotRequired[str | None]
    requested_reviewers: NotRequired[list[UserJSON]]


class ReviewJSON(TypedDict):
    id: int
    user: NotRequired[UserJSON | None]
    state: NotRequired[str]
    body: NotRequired[str | None]
    commit_id: NotRequired[str | None]
    submitted_at: NotRequired[str | None]


class CommentJSON(TypedDict):
    id: int
    user: NotRequired[UserJSON | None]
    body: NotRequired[str | None]
    created_at: NotRequired[str]


class ParentJSON(TypedDict):
    sha: str


class CommitJSON(TypedDict):
    sha: str
    author: NotRequired[UserJSON | None]
    committer: NotRequired[UserJSON | None]
    parents: NotRequired[list[ParentJSON]]


class CheckOutputJSON(TypedDict, total=False):
    summary: str | None
    text: str | None
    annotations_count: int


class AppJSON(TypedDict, total=False):
    id: int
    slug: str


class CheckRunJSON(TypedDict):
    id: int
    name: str
    head_sha: str
    status: NotRequired[str]
    conclusion: NotRequired[str | None]
    output: NotRequired[CheckOutputJSON | None]
    app: NotRequired[AppJSON | None]


class CheckRunBody(TypedDict):
    """A check run's POST or PATCH body."""

    status: str
    output: OutputBody
    conclusion: NotRequired[str]
    name: NotRequired[str]
    head_sha: NotRequired[str]
    external_id: NotRequired[str]  # the marker a retried POST looks for


def next_link(header: str | None) -> str | None:
    found = _NEXT.search(header or "")
    return found.group(1) if found else None


def user(data: object) -> User | None:
    """A `UserJSON` of GitHub's JSON; None for null, a missing or a login-less one."""
    if not isinstance(data, dict) or "login" not in data:
        return None
    return User(
        int(data["id"]) if data.get("id") is not None else None,
        str(data["login"]),
        str(data.get("type") or "User"),
    )


def principal(user: User | None) -> Principal | None:
    """A GitHub account as the approvals engine knows it (None: not linked to an account)."""
    from kfm_bot.approvals.facts import Principal

    if user is None or user.id is None:
        return None
    return Principal(user.id, user.login, user.type)


def pull(data: PullJSON) -> Pull:
    head, base = data["head"], data["base"]
    head_repo = head.get("repo")
    author = user(data.get("user")) or User(None, "ghost")
    return Pull(
        number=int(data["number"]),
        state=str(data.get("state", "open")),
        head_sha=str(head["sha"]),
        head_ref=str(head.get("ref", "")),
        head_repo=str(head_repo["full_name"]) if isinstance(head_repo, dict) else None,
        base_ref=str(base.get("ref", "")),
        base_sha=str(base["sha"]),
        base_repo=str((base.get("repo") or {}).get("full_name", "")),
        author=author,
        draft=bool(data.get("draft", False)),
        merged=bool(data.get("merged") or data.get("merged_at")),
        merge_commit_sha=data.get("merge_commit_sha") if data.get("merged_at") else None,
        requested_reviewers=tuple(
            u.login for u in map(user, data.get("requested_reviewers") or []) if u is not None
        ),
    )


def review(data: ReviewJSON) -> Review:
    return Review(
        int(data["id"]),
        user(data.get("user")),
        str(data.get("state", "")),
        str(data.get("body") or ""),
        data.get("commit_id"),
        data.get("submitted_at"),
    )


def comment(data: CommentJSON) -> Comment:
    return Comment(
        int(data["id"]),
        user(data.get("user")),
        str(data.get("body") or ""),
        str(data.get("created_at", "")),
    )


def commit(data: CommitJSON) -> Commit:
    parents = tuple(str(p["sha"]) for p in data.get("parents") or [])
    return Commit(str(data["sha"]), user(data.get("author")), user(data.get("committer")), parents)


def check_run(data: CheckRunJSON) -> CheckRun:
    out = data.get("output") or {}
    return CheckRun(
        int(data["id"]),
        str(data["name"]),
        str(data["head_sha"]),
        str(data.get("status", "")),
        data.get("conclusion"),
        str(out.get("summary") or ""),
        str(out.get("text") or ""),
        int(out.get("annotations_count") or 0),
        int(app["id"]) if isinstance(app := data.get("app"), dict) and "id" in app else None,
        str(app.get("slug") or "") if isinstance(app, dict) else "",
    )


def check_body(status: str, output: CheckOutput, conclusion: str | None) -> CheckRunBody:
    body: CheckRunBody = {"status": status, "output": output.payload()}
    if conclusion is not None:
        body["conclusion"] = conclusion
    return body
