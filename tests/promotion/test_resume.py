"""Idempotent and resumable: a real SIGKILL after every step, then a clean run; taken tags."""

from __future__ import annotations

import signal

import pytest

from tests.github.world import World
from tests.promotion.world import (
    change_dataset,
    clone,
    count_promotions,
    merge,
    promote,
    tag_of,
)

pytestmark = pytest.mark.slow  # over a second a test: left out of `make test-fast`

STEPS = ("files-written", "commit-made", "tag-created", "commit-and-tag-pushed")
# What the remote holds (commits, tags, ledger lines) right after the kill at each step: the
# commit and its tag land in one atomic push, so never one without the other.
AFTER = {
    "files-written": (0, 0, 0),
    "commit-made": (0, 0, 0),
    "tag-created": (0, 0, 0),
    "commit-and-tag-pushed": (1, 1, 1),
}


def test_killed_after_each_step_then_rerun_lands_exactly_once(world: World) -> None:
    """Each run resumes what the run killed before it left; the last, unkilled, finishes.

    Runs start from fresh clones, as a re-run workflow does (nothing a killed run kept locally
    helps), except the one after `tag-created`: the same clone, holding the unpushed commit
    and tag it made.
    """
    number = change_dataset(world, "ks_water_wells", "Revised", "feat")
    sha = merge(world, number, "squash")
    tag = tag_of(world, "ks_water_wells", sha)
    ci = world.tmp
    for n, step in enumerate(STEPS):
        ci = ci if step == "commit-and-tag-pushed" else clone(world, f"ci{n}")
        done = promote(world, ci, "--push", kill_after=step)
        assert done.returncode == -signal.SIGKILL, (step, done.stdout, done.stderr)
        assert count_promotions(world, tag) == AFTER[step], step
    ci = clone(world, "ci", shallow=True)  # planning fetches the history it needs
    done = promote(world, ci, "--push")
    assert done.returncode == 0, done.stdout + done.stderr
    assert count_promotions(world, tag) == (1, 1, 1)
    again = promote(world, ci, "--push")
    assert again.returncode == 0 and "nothing to promote" in again.stdout
    assert count_promotions(world, tag) == (1, 1, 1)
