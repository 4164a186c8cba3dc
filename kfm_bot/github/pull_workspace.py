"""A pull request's commits fetched as data into the local checkout (by kfm_bot.app)."""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

from kfm_bot.errors import UsageError
from kfm_bot.git import read
from kfm_bot.git.gitdir import GitDir
from kfm_bot.github.interface import Pull

_SHA = re.compile(r"^[0-9a-f]{40}$")


def has_commit(workspace: Path, sha: str) -> bool:
    try:
        read.resolve(GitDir(workspace), sha)
    except UsageError:
        return False
    return True


def fetch_pull(workspace: Path, pull: Pull) -> None:
    """Fetch the PR's commits as objects only: nothing is checked out, nothing from it runs."""
    from kfm_bot.git import write

    if has_commit(workspace, pull.head_sha) and has_commit(workspace, pull.base_sha):
        return
    repo = _origin(workspace)
    write.fetch(
        repo,
        "origin",
        f"+refs/pull/{pull.number}/head:refs/kfm/pull/{pull.number}/head",
        f"+refs/heads/{pull.base_ref}:refs/kfm/base/{pull.number}",
    )
    if not has_commit(workspace, pull.head_sha):
        raise UsageError(f"cannot fetch the head commit {pull.head_sha[:12]} of #{pull.number}")


def fetch_reviewed(workspace: Path, shas: set[str]) -> None:
    """Best effort: reviewed commits a force-push dropped (missing ones simply never count)."""
    from kfm_bot.errors import KfmError
    from kfm_bot.git import write

    missing = sorted(s for s in shas if _SHA.match(s) and not has_commit(workspace, s))
    if missing:
        with contextlib.suppress(KfmError):
            write.fetch(_origin(workspace), "origin", *missing[:20])


def _origin(workspace: Path) -> GitDir:
    """The checkout, able to fetch from a private repository: checkouts keep no credentials,
    so the workflow's GITHUB_TOKEN reaches git through this process's environment only."""
    from kfm_bot.git import write

    repo = GitDir(workspace)
    token = os.environ.get("GITHUB_TOKEN", "")
    if token:
        write.authenticate(repo, "origin", token)
    return repo


def merge_base(workspace: Path, pull: Pull) -> str:
    return read.merge_base(GitDir(workspace), pull.base_sha, pull.head_sha)


QUEUE_PREFIX = "refs/heads/gh-readonly-queue/"
_BRANCH = re.compile(r"^refs/heads/[A-Za-z0-9._/-]+$")


def fetch_queue(workspace: Path, base_ref: str, head_ref: str) -> dict[str, str]:
    """The merge queue's branches of `base_ref` (`gh-readonly-queue/<base>/pr-<n>-<sha>`) and
    the group's own branch `head_ref`, fetched as objects: queue ref -> its tip. Git only, no
    API request."""
    from kfm_bot.git import write

    repo = _origin(workspace)
    refs = write.remote_refs(repo, "origin", f"{QUEUE_PREFIX}{base_ref}/*")
    queued = {ref: sha for ref, sha in refs.items() if _SHA.match(sha)}
    local = [f"+{ref}:refs/kfm/queue/{ref.removeprefix(QUEUE_PREFIX)}" for ref in queued]
    if head_ref not in queued and _BRANCH.match(head_ref):
        local.append(f"+{head_ref}:refs/kfm/queue-head")
    if local:
        write.fetch(repo, "origin", *local)
    return queued
