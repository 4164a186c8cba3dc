"""Pull requests, issues, reviews and comments in GitHub's JSON shapes."""

from __future__ import annotations

import zlib
from typing import Any

from kfm_bot.emulator.core import Core
from kfm_bot.emulator.shape_users import repository, user_by_login
from kfm_bot.emulator.skeleton import skeleton
from kfm_bot.emulator.state import Pull

JSON = dict[str, Any]


def _branch(core: Core, pull: Pull, side: str) -> JSON:
    if side == "base":
        full: str | None = pull.repo
        ref, sha = pull.base_ref, pull.base_sha
    else:
        full, ref, sha = pull.head_repo, pull.head_ref, pull.head_sha
    repo = core.repo(*full.split("/", 1)) if full else None
    owner = full.split("/", 1)[0] if full else "unknown"
    return {
        "label": f"{owner}:{ref}",
        "ref": ref,
        "sha": sha,
        "repo": repository(core, repo) if repo else None,
        "user": user_by_login(core, owner) or user_by_login(core, pull.user),
    }


def pull_simple(core: Core, pull: Pull, schema: str = "pull-request-simple") -> JSON:
    data: JSON = skeleton(schema)
    api = core.url(f"/repos/{pull.repo}/pulls/{pull.number}")
    issue = core.url(f"/repos/{pull.repo}/issues/{pull.number}")
    data.update(
        url=api,
        id=pull.id,
        node_id=f"PR_{pull.id}",
        number=pull.number,
        state=pull.state,
        html_url=core.html(f"/{pull.repo}/pull/{pull.number}"),
        diff_url=f"{api}.diff",
        patch_url=f"{api}.patch",
        issue_url=issue,
        commits_url=f"{api}/commits",
        review_comments_url=f"{api}/comments",
        comments_url=f"{issue}/comments",
        review_comment_url=core.url(f"/repos/{pull.repo}/pulls/comments{{/number}}"),
        statuses_url=core.url(f"/repos/{pull.repo}/statuses/{pull.head_sha}"),
        title=pull.title,
        body=pull.body,
        user=user_by_login(core, pull.user),
        locked=False,
        created_at=pull.created_at,
        updated_at=pull.updated_at,
        closed_at=pull.closed_at,
        merged_at=pull.merged_at,
        merge_commit_sha=pull.merge_commit_sha,
        draft=pull.draft,
        head=_branch(core, pull, "head"),
        base=_branch(core, pull, "base"),
        labels=[label(core, pull.repo, name) for name in pull.labels],
        requested_reviewers=_users(core, pull.requested_reviewers),
        author_association="CONTRIBUTOR",
        auto_merge=None,
        assignee=None,
        assignees=[],
    )
    data["head"]["user"] = data["head"]["user"] or data["user"]
    data["base"]["user"] = data["base"]["user"] or data["user"]
    return data


def _users(core: Core, logins: list[str]) -> list[JSON]:
    return [u for u in (user_by_login(core, login) for login in logins) if u]


def pull_full(core: Core, pull: Pull) -> JSON:
    data = pull_simple(core, pull, "pull-request")
    data.update(
        merged=pull.merged,
        mergeable=None if pull.merged else True,
        rebaseable=None,
        mergeable_state="unknown" if pull.merged else "clean",
        merged_by=user_by_login(core, pull.merged_by),
        comments=0,
        review_comments=0,
        maintainer_can_modify=False,
        commits=0,
        additions=0,
        deletions=0,
        changed_files=0,
    )
    return data


def pull_minimal(core: Core, pull: Pull) -> JSON:
    def side(ref: str, sha: str, full: str | None) -> JSON:
        repo = core.repo(*(full or pull.repo).split("/", 1))
        return {
            "ref": ref,
            "sha": sha,
            "repo": {"id": repo.id, "url": core.url(f"/repos/{repo.full_name}"), "name": repo.name},
        }

    return {
        "id": pull.id,
        "number": pull.number,
        "url": core.url(f"/repos/{pull.repo}/pulls/{pull.number}"),
        "head": side(pull.head_ref, pull.head_sha, pull.head_repo),
        "base": side(pull.base_ref, pull.base_sha, pull.repo),
    }


def issue(core: Core, pull: Pull) -> JSON:
    data: JSON = skeleton("issue")
    api = core.url(f"/repos/{pull.repo}/issues/{pull.number}")
    data.update(
        id=pull.id,
        node_id=f"I_{pull.id}",
        url=api,
        number=pull.number,
        state=pull.state,
        repository_url=core.url(f"/repos/{pull.repo}"),
        labels_url=f"{api}/labels{{/name}}",
        comments_url=f"{api}/comments",
        events_url=f"{api}/events",
        html_url=core.html(f"/{pull.repo}/pull/{pull.number}"),
        title=pull.title,
        body=pull.body,
        user=user_by_login(core, pull.user),
        locked=False,
        labels=[label(core, pull.repo, name) for name in pull.labels],
        draft=pull.draft,
        comments=sum(
            1 for c in core.state.comments if (c.repo, c.number) == (pull.repo, pull.number)
        ),
        created_at=pull.created_at,
        updated_at=pull.updated_at,
        closed_at=pull.closed_at,
        pull_request={
            "url": core.url(f"/repos/{pull.repo}/pulls/{pull.number}"),
            "html_url": None,
            "diff_url": None,
            "patch_url": None,
            "merged_at": pull.merged_at,
        },
        author_association="CONTRIBUTOR",
    )
    return data


def label(core: Core, repo: str, name: str) -> JSON:
    return {
        "id": zlib.crc32(f"{repo}/{name}".encode()),
        "node_id": f"LA_{name}",
        "name": name,
        "url": core.url(f"/repos/{repo}/labels/{name}"),
        "description": None,
        "color": "ededed",
        "default": False,
    }
