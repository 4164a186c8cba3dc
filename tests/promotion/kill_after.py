"""Run `kfm-bot`, SIGKILLed right after one promotion step, as a runner that dies would be.

    python tests/promotion/kill_after.py STEP promote --repo DIR --push

The product has no kill points: this wrapper wraps the git writes a promotion makes
(`kfm_bot.git.write`, looked up by the promotion at call time) and the zone writes of
publishing (`ZoneStore` methods), and kills its own process as soon as the named step has
happened (`object-staged`: the bytes are in the staging area, the final copy not yet made).
The steps are those of a `--push` run, the one the
promotion workflow makes; a tag push that loses a race is not a step (it is refused or
resumed, never killed).
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from typing import Any

from kfm_bot.cli import main
from kfm_bot.git import write
from kfm_bot.zones.store import STAGING, ZoneStore

Happened = Callable[[tuple[Any, ...], Any], bool]  # (the call's arguments, its result)


def _always(args: tuple[Any, ...], result: Any) -> bool:
    return True


def _pushed(*to: str) -> Happened:
    """A successful `push(repo, remote, *refspecs)` to `refs/<to>/...`, in that order."""
    return lambda args, ok: (
        bool(ok)
        and tuple(str(spec).split(":", 1)[1].split("/", 2)[1] for spec in args[2:]) == tuple(to)
    )


def _staged(args: tuple[Any, ...], result: Any) -> bool:
    """`ZoneStore._copy_within(self, src, dst)` about to move staged bytes into place."""
    return str(args[1]).startswith(STAGING + "/")


# step -> (the object and function that carries it out, whether this call did). The release
# tag is made before the push and pushed with the commit in one atomic push.
STEPS: dict[str, tuple[object, str, Happened]] = {
    "object-staged": (ZoneStore, "_copy_within", _staged),  # checked BEFORE the call
    "object-copied": (ZoneStore, "copy_if_absent", _always),
    "files-written": (write, "write_tree", _always),
    "commit-made": (write, "commit_tree", _always),
    "tag-created": (write, "create_tag", _always),
    "commit-and-tag-pushed": (write, "push", _pushed("heads", "tags")),
}
BEFORE = {"object-staged"}


def arm(step: str) -> None:
    """Make the process kill itself with SIGKILL (no cleanup, no flush) once `step` is done."""
    owner, name, happened = STEPS[step]
    real = getattr(owner, name)

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if step in BEFORE and happened(args, None):
            os.kill(os.getpid(), signal.SIGKILL)
        result = real(*args, **kwargs)
        if step not in BEFORE and happened(args, result):
            os.kill(os.getpid(), signal.SIGKILL)
        return result

    setattr(owner, name, wrapped)


if __name__ == "__main__":
    step, *argv = sys.argv[1:]
    arm(step)
    main(argv)
