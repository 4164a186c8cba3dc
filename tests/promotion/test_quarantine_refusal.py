"""Promotion refuses a dataset that uses a quarantined source, with a message that says why."""

from __future__ import annotations

from tests.github.world import World, as_user
from tests.gitrepo import git
from tests.promotion.world import (
    DATA_STEWARD,
    change_dataset,
    clone,
    merge,
    promote,
    remote_git,
)
from tests.test_quarantine_check import quarantine

CHECK = "kfm-bot / promotion"


def test_a_dataset_on_a_quarantined_source_is_refused_by_promotion(world: World) -> None:
    # A contributor revises ks_water_wells; a steward quarantines its source in the same PR.
    number = change_dataset(world, "ks_water_wells", "Revised", "wells", approve=False)
    env = as_user("alice")
    quarantine(world.work)
    git(world.work, "commit", "-q", "-am", "quarantine kgs-water-wells", env=env)
    git(world.work, "push", "-q", "origin", "wells:wells", env=env)
    world.emu.submit_review("org", "data", number, user=DATA_STEWARD)
    merged = merge(world, number)
    done = promote(world, clone(world, "ci"), "--push")
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    assert "refused ks_water_wells" in out and "Traceback" not in out
    assert "ks_water_wells is blocked: it uses quarantined source(s) `kgs-water-wells`" in out
    assert "promotion is refused until the quarantine is lifted" in out
    assert "Kfm-Promotion" not in remote_git(world, "log", "main")
    run = world.check_runs(merged)[CHECK]
    assert run["conclusion"] == "failure" and "is blocked" in run["output"]["summary"]
