"""GitHub's JSON to the interface's plain records (and accounts to approvals principals), and
check-run bodies back to JSON."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from kfm_bot.github.interface import CheckOutput, CheckRun, Comment, Commit, Pull, Review, User

if TYPE_CHECKING:
    from kfm_bot.approvals.facts import Principal

_NEXT = re.compile(r'<([^>]+)>;\s*rel="next"')


def next_link(header: str | None) -> str | None:
    found = _NEXT.search(header or "")
    return found.group(1) if found else None


def user(data: Any) -> User | None:
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


def pull(data: dict[str, Any]) -> Pull:
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
    )


def review(data: dict[str, Any]) -> Review:
    return Review(
        int(data["id"]),
        user(data.get("user")),
        str(data.get("state", "")),
        str(data.get("body") or ""),
        data.get("commit_id"),
        data.get("submitted_at"),
    )


def comment(data: dict[str, Any]) -> Comment:
    return Comment(
        int(data["id"]),
        user(data.get("user")),
        str(data.get("body") or ""),
        str(data.get("created_at", "")),
    )


def commit(data: dict[str, Any]) -> Commit:
    parents = tuple(str(p["sha"]) for p in data.get("parents") or [])
    return Commit(str(data["sha"]), user(data.get("author")), user(data.get("committer")), parents)


def check_run(data: dict[str, Any]) -> CheckRun:
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
    )


def check_body(status: str, output: CheckOutput, conclusion: str | None) -> dict[str, Any]:
    body: dict[str, Any] = {"status": status, "output": output.payload()}
    if conclusion is not None:
        body["conclusion"] = conclusion
    return body
