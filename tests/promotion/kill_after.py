"""Run `kfm-bot`, SIGKILLed right after one promotion step, as a runner that dies would be.

    python tests/promotion/kill_after.py STEP promote --repo DIR --push

The product has no kill points: this wrapper wraps the git writes a promotion makes
(`kfm_bot.git.write`, looked up by the promotion at call time) and kills its own process
as soon as the named step has happened. The steps are those of a `--push` run, the one the
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

Happened = Callable[[tuple[Any, ...], Any], bool]  # (the call's arguments, its result)


def _always(args: tuple[Any, ...], result: Any) -> bool:
    return True


def _pushed(*to: str) -> Happened:
    """A successful `push(repo, remote, *refspecs)` to `refs/<to>/...`, in that order."""
    return lambda args, ok: (
        bool(ok)
        and tuple(str(spec).split(":", 1)[1].split("/", 2)[1] for spec in args[2:]) == tuple(to)
    )


# step -> (the git.write function that carries it out, whether this call did). The release
# tag is made before the push and pushed with the commit in one atomic push.
STEPS: dict[str, tuple[str, Happened]] = {
    "files-written": ("write_tree", _always),
    "commit-made": ("commit_tree", _always),
    "tag-created": ("create_tag", _always),
    "commit-and-tag-pushed": ("push", _pushed("heads", "tags")),
}


def arm(step: str) -> None:
    """Make the process kill itself with SIGKILL (no cleanup, no flush) once `step` is done."""
    name, happened = STEPS[step]
    real = getattr(write, name)

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        if happened(args, result):
            os.kill(os.getpid(), signal.SIGKILL)
        return result

    setattr(write, name, wrapped)


if __name__ == "__main__":
    step, *argv = sys.argv[1:]
    arm(step)
    main(argv)
