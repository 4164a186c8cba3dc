"""`push` to the default branch: promotion (DESIGN section 7), by the promote command."""

from __future__ import annotations

import os

from kfm_bot.github.events import Event

RELEASE_ENV = "KFM_RELEASE"  # "true" in promote.yml's env: also create the GitHub release


def handle(event: Event) -> int:
    from kfm_bot.commands.promote import promote

    repo = event.payload.get("repository") or {}
    default = str(repo.get("default_branch") or repo.get("master_branch") or "main")
    ref = str(event.payload.get("ref") or "")
    after = str(event.payload.get("after") or "")
    if ref != f"refs/heads/{default}":
        return event.ignore(f"only pushes to {default} are promoted, not {ref or 'this ref'}")
    if event.payload.get("deleted") or set(after) <= {"0"}:
        return event.ignore("the branch was deleted")
    args = ["--repo", str(event.workspace), "--commit", after, "--push"]
    if os.environ.get(RELEASE_ENV, "").strip().lower() in ("1", "true", "yes"):
        args.append("--release")
    result = promote.main(args=args, prog_name="kfm-bot promote", standalone_mode=False)
    return int(result or 0)
