"""Webhook payloads built from the emulator's state, shaped like GitHub's real examples."""

from __future__ import annotations

import copy
import functools
import json
from importlib import resources
from pathlib import Path
from typing import Any

from kfm_bot.emulator import gitcmd, gitread, shape_pulls, shape_talk, shape_users
from kfm_bot.emulator.control import Emulator
from kfm_bot.emulator.control_queue import MergeGroup
from kfm_bot.emulator.state import Pull

JSON = dict[str, Any]
ZERO = "0" * 40


@functools.cache
def _example(name: str) -> JSON:
    path = resources.files("kfm_bot.emulator").joinpath(f"data/webhook-examples/{name}.json")
    data: JSON = json.loads(path.read_text(encoding="utf-8"))
    return data


def template(name: str) -> JSON:
    """A fresh copy of a real example payload, e.g. "pull_request.opened"."""
    data = copy.deepcopy(_example(name))
    data.pop("installation", None)  # a GitHub App installation the emulator does not model
    data.pop("organization", None)
    return data


def _common(emu: Emulator, owner: str, repo: str, sender: str) -> JSON:
    core = emu.core
    return {
        "repository": shape_users.repository(core, core.repo(owner, repo)),
        "sender": shape_users.simple_user(core, core.user(sender)),
    }


def pull_request(
    emu: Emulator,
    owner: str,
    repo: str,
    number: int,
    action: str,
    *,
    sender: str | None = None,
    before: str | None = None,
    changes: JSON | None = None,
) -> JSON:
    """`pull_request` with action opened|synchronize|reopened|ready_for_review|edited|closed."""
    pull = emu.pull(owner, repo, number)
    data = template(f"pull_request.{action if action != 'edited' else 'opened'}")
    data.update(action=action, number=number, **_common(emu, owner, repo, sender or pull.user))
    data["pull_request"] = shape_pulls.pull_full(emu.core, pull)
    if action == "synchronize":
        data["before"], data["after"] = before or pull.base_sha, pull.head_sha
    if action == "edited":
        data["changes"] = changes or {}
    return data


def pull_request_review(
    emu: Emulator,
    owner: str,
    repo: str,
    number: int,
    review_id: int,
    action: str = "submitted",
    *,
    changes: JSON | None = None,
) -> JSON:
    """`pull_request_review` with action submitted|edited|dismissed."""
    pull, review = emu.pull(owner, repo, number), emu.review(review_id)
    data = template(f"pull_request_review.{'submitted' if action == 'edited' else action}")
    data.update(action=action, **_common(emu, owner, repo, review.user))
    data["review"] = shape_talk.review(emu.core, review)
    data["review"]["state"] = review.state.lower()  # webhooks spell review states in lower case
    data["pull_request"] = shape_pulls.pull_simple(emu.core, pull)
    if action == "edited":
        data["changes"] = changes or {}
    return data


def issue_comment(
    emu: Emulator,
    owner: str,
    repo: str,
    comment_id: int,
    action: str = "created",
    *,
    deleted: Any = None,
    changes: JSON | None = None,
) -> JSON:
    """`issue_comment` created|edited|deleted (pass the Comment that delete_comment returned)."""
    comment = deleted or emu.comment(comment_id)
    pull = emu.pull(owner, repo, comment.number)
    data = template(f"issue_comment.{action}")
    data.update(action=action, **_common(emu, owner, repo, comment.user))
    data["issue"] = shape_pulls.issue(emu.core, pull)
    data["comment"] = shape_talk.comment(emu.core, comment)
    if action == "edited":
        data["changes"] = changes or {"body": {"from": ""}}
    return data


def push(emu: Emulator, owner: str, repo: str, ref: str, before: str, *, pusher: str) -> JSON:
    """`push` of `ref` (e.g. refs/heads/main) from `before` to its current commit."""
    bare = emu.core.git_path(f"{owner}/{repo}")
    after = gitcmd.rev_parse(bare, ref) or ZERO
    shas = gitread.commits_between(bare, before, after) if before != ZERO else [after]
    commits = [_push_commit(emu, owner, repo, bare, sha) for sha in shas if sha != ZERO]
    data = template("push.push")
    data.update(
        ref=ref,
        before=before,
        after=after,
        created=before == ZERO,
        deleted=after == ZERO,
        forced=False,
        base_ref=None,
        commits=commits,
        head_commit=commits[-1] if commits else None,
        compare=emu.core.html(f"/{owner}/{repo}/compare/{before[:12]}...{after[:12]}"),
        pusher={"name": pusher, "email": f"{pusher}@users.noreply.github.com"},
        **_common(emu, owner, repo, pusher),
    )
    return data


def _push_commit(emu: Emulator, owner: str, repo: str, bare: Path, sha: str) -> JSON:
    info = gitread.commit_info(bare, sha)
    parent = info.parents[0] if info.parents else gitcmd.EMPTY_TREE
    files = gitread.diff_files(bare, parent, sha)
    return {
        "id": sha,
        "tree_id": info.tree,
        "distinct": True,
        "message": info.message,
        "timestamp": info.committer[2],
        "url": emu.core.html(f"/{owner}/{repo}/commit/{sha}"),
        "author": {"name": info.author[0], "email": info.author[1]},
        "committer": {"name": info.committer[0], "email": info.committer[1]},
        "added": [f.filename for f in files if f.status == "added"],
        "removed": [f.filename for f in files if f.status == "removed"],
        "modified": [f.filename for f in files if f.status not in ("added", "removed")],
    }


def workflow_run(
    emu: Emulator,
    owner: str,
    repo: str,
    number: int,
    *,
    run_id: int,
    conclusion: str = "success",
    name: str = "kfm-bot gates",
) -> JSON:
    """`workflow_run` completed for a PR's `pull_request` run; forks get `pull_requests: []`."""
    pull = emu.pull(owner, repo, number)
    data = template("workflow_run.completed")
    data.update(action="completed", **_common(emu, owner, repo, pull.user))
    run = data["workflow_run"]
    core = emu.core
    head_repo = core.repo(*(pull.head_repo or pull.repo).split("/", 1))
    run.update(
        id=run_id,
        name=name,
        event="pull_request",
        status="completed",
        conclusion=conclusion,
        head_branch=pull.head_ref,
        head_sha=pull.head_sha,
        repository=data["repository"],
        head_repository=shape_users.repository(core, head_repo),
        pull_requests=[] if _is_fork(pull) else [shape_pulls.pull_minimal(core, pull)],
        url=core.url(f"/repos/{owner}/{repo}/actions/runs/{run_id}"),
        artifacts_url=core.url(f"/repos/{owner}/{repo}/actions/runs/{run_id}/artifacts"),
    )
    run["head_commit"] = dict(run["head_commit"], id=pull.head_sha)
    return data


def merge_group(
    emu: Emulator,
    owner: str,
    repo: str,
    group: MergeGroup,
    *,
    sender: str,
    action: str = "checks_requested",
) -> JSON:
    """`merge_group` checks_requested (or destroyed) for a group `Emulator.enqueue` built."""
    bare = emu.core.git_path(f"{owner}/{repo}")
    info = gitread.commit_info(bare, group.head_sha)
    data = template("merge_group.checks_requested")
    data.update(action=action, **_common(emu, owner, repo, sender))
    data["merge_group"] = {
        "head_sha": group.head_sha,
        "head_ref": group.head_ref,
        "base_sha": group.base_sha,
        "base_ref": group.base_ref,
        "head_commit": {
            "id": group.head_sha,
            "tree_id": info.tree,
            "message": info.message,
            "timestamp": info.committer[2],
            "author": {"name": info.author[0], "email": info.author[1]},
            "committer": {"name": info.committer[0], "email": info.committer[1]},
        },
    }
    return data


def _is_fork(pull: Pull) -> bool:
    return pull.head_repo != pull.repo


def write_event(payload: JSON, path: Path) -> Path:
    """Write a payload where GITHUB_EVENT_PATH would point."""
    path.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    return path
