"""`push` to the default branch: promotion (DESIGN section 7), by the promote command."""

from __future__ import annotations

import importlib.util

from kfm_bot.errors import EXIT_USAGE
from kfm_bot.github.events import Event

PROMOTE = "kfm_bot.commands.promote"


def handle(event: Event) -> int:
    repo = event.payload.get("repository") or {}
    default = str(repo.get("default_branch") or repo.get("master_branch") or "main")
    ref = str(event.payload.get("ref") or "")
    after = str(event.payload.get("after") or "")
    if ref != f"refs/heads/{default}":
        return event.ignore(f"only pushes to {default} are promoted, not {ref or 'this ref'}")
    if event.payload.get("deleted") or set(after) <= {"0"}:
        return event.ignore("the branch was deleted")
    if importlib.util.find_spec(PROMOTE) is None:
        event.log("kfm-bot: promotion is not available in this version of kfm-bot")
        return EXIT_USAGE
    command = importlib.import_module(PROMOTE).promote
    args = ["--repo", str(event.workspace), "--commit", after, "--push"]
    result = command.main(args=args, prog_name="kfm-bot promote", standalone_mode=False)
    return int(result or 0)
