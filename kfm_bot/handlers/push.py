"""`push` to the default branch: promotion (DESIGN section 7), by the promote use case; when
the push changes policies/, the open PRs are re-evaluated (kfm_bot/app/policy_recheck.py)."""

from __future__ import annotations

import os

import click

from kfm_bot.handlers.event import Event

RELEASE_ENV = "KFM_RELEASE"  # "true" in promote.yml's env: also create the GitHub release


def handle(event: Event) -> int:
    repo = event.payload.get("repository") or {}
    default = str(repo.get("default_branch") or repo.get("master_branch") or "main")
    ref = str(event.payload.get("ref") or "")
    after = str(event.payload.get("after") or "")
    if ref != f"refs/heads/{default}":
        return event.ignore(f"only pushes to {default} are promoted, not {ref or 'this ref'}")
    if event.payload.get("deleted") or set(after) <= {"0"}:
        return event.ignore("the branch was deleted")
    from kfm_bot.app.promote import GitHubAccess, promote  # loaded only for a push it promotes

    release = os.environ.get(RELEASE_ENV, "").strip().lower() in ("1", "true", "yes")
    # The environment, as `kfm-bot promote` reads it; its output as that command prints it.
    access = GitHubAccess.from_env(os.environ)
    code = promote(event.workspace, after, access, click.echo, push=True, release=release)
    from kfm_bot.app import policy_recheck

    # New rules judge the open PRs now, not at their next event (DESIGN 8); after promotion,
    # which must not wait on them. A PR's failing gates do not fail this push's run.
    if event.post and policy_recheck.policies_changed(event, _before(event), after):
        policy_recheck.recheck_open_pulls(event, default, after)
    return code


def _before(event: Event) -> str:
    """The tip before the push; all zeros (unsure: treated as changing everything) if absent."""
    return str(event.payload.get("before") or "0" * 40)
