"""Idempotent and resumable: a real SIGKILL after every step, then a clean run; taken tags."""

from __future__ import annotations

import signal

from tests.github.world import World
from tests.promotion.world import (
    change_dataset,
    clone,
    count_promotions,
    merge,
    promote,
    remote_git,
    remote_refs,
    tag_of,
)

STEPS = ("files-written", "commit-made", "commit-pushed", "tag-created", "tag-pushed")
# What the remote holds (commits, tags, ledger lines) right after the kill at each step.
AFTER = {
    "files-written": (0, 0, 0),
    "commit-made": (0, 0, 0),
    "commit-pushed": (1, 0, 1),
    "tag-created": (1, 0, 1),
    "tag-pushed": (1, 1, 1),
}


def test_killed_after_each_step_then_rerun_lands_exactly_once(world: World) -> None:
    """Each run resumes what the run killed before it left; the last, unkilled, finishes."""
    number = change_dataset(world, "ks_water_wells", "Revised", "feat")
    sha = merge(world, number, "squash")
    tag = tag_of(world, "ks_water_wells", sha)
    ci = clone(world, "ci")
    for step in STEPS:
        done = promote(world, ci, "--push", KFM_BOT_FAULT_KILL_AFTER=step)
        assert done.returncode == -signal.SIGKILL, (step, done.stdout, done.stderr)
        assert count_promotions(world, tag) == AFTER[step], step
    done = promote(world, ci, "--push")
    assert done.returncode == 0, done.stdout + done.stderr
    assert count_promotions(world, tag) == (1, 1, 1)
    again = promote(world, ci, "--push")
    assert again.returncode == 0 and "nothing to promote" in again.stdout
    assert count_promotions(world, tag) == (1, 1, 1)


def test_kill_before_push_then_a_fresh_clone_finishes(world: World) -> None:
    number = change_dataset(world, "ks_county_boundaries", "Revised", "feat")
    sha = merge(world, number, "merge")
    tag = tag_of(world, "ks_county_boundaries", sha)
    killed = promote(world, clone(world, "ci"), "--push", KFM_BOT_FAULT_KILL_AFTER="commit-made")
    assert killed.returncode == -signal.SIGKILL
    done = promote(world, clone(world, "ci2"), "--push")
    assert done.returncode == 0, done.stdout + done.stderr
    assert count_promotions(world, tag) == (1, 1, 1)


def test_a_tag_that_points_elsewhere_is_never_moved(world: World) -> None:
    number = change_dataset(world, "ks_water_wells", "Revised", "feat")
    sha = merge(world, number, "merge")
    tag = tag_of(world, "ks_water_wells", sha)
    remote_git(world, "tag", tag, sha)  # someone tagged the merge by hand
    before = remote_refs(world)
    done = promote(world, clone(world, "ci"), "--push")
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"tag {tag} already exists" in done.stderr
    assert "Traceback" not in done.stderr
    assert remote_refs(world) == before  # nothing landed, the tag did not move
