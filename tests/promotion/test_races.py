"""Races: concurrent runs against the same remote converge; one line and one tag per promotion."""

from __future__ import annotations

import subprocess

import pytest

from tests.cli import kfm_bot
from tests.github.world import World
from tests.promotion.world import (
    change_dataset,
    clone,
    count_promotions,
    ledger_lines,
    merge,
    remote_git,
    start,
    start_action_push,
    tag_of,
)

pytestmark = pytest.mark.slow  # over a second a test: left out of `make test-fast`


def finish(*runs: subprocess.Popen[str]) -> list[tuple[int, str]]:
    results = []
    for run in runs:
        out, err = run.communicate(timeout=90)
        results.append((run.returncode, out + err))
    return results


def verify(world: World, where: str) -> None:
    done = kfm_bot("ledger", "verify", "--repo", where, "--ref", "origin/main")
    assert done.returncode == 0, done.stderr


def test_concurrent_runs_for_different_merges_both_land(world: World) -> None:
    first = merge(world, change_dataset(world, "ks_water_wells", "Revised", "a"), "merge")
    second = merge(world, change_dataset(world, "ks_county_boundaries", "Revised", "b"), "squash")
    one, two = clone(world, "one"), clone(world, "two")
    results = finish(
        start(world, one, "--push", "--commit", first),
        start(world, two, "--push", "--commit", second),
    )
    assert [code for code, _ in results] == [0, 0], results
    slugs = [e["dataset_slug"] for e in ledger_lines(world)]
    assert slugs == ["ks_water_wells", "ks_county_boundaries"]
    for slug, sha in (("ks_water_wells", first), ("ks_county_boundaries", second)):
        assert count_promotions(world, tag_of(world, slug, sha)) == (1, 1, 1)
    subprocess.run(["git", "fetch", "-q", "origin"], cwd=one, check=True)
    verify(world, str(one))


def test_the_same_merge_promoted_twice_at_once_lands_once(world: World) -> None:
    """One run is `kfm-bot action` for the push event, the other a manual `kfm-bot promote`."""
    before = remote_git(world, "rev-parse", "main")
    sha = merge(world, change_dataset(world, "ks_water_wells", "Revised", "a"), "rebase")
    one, two = clone(world, "one"), clone(world, "two")
    results = finish(start_action_push(world, one, before), start(world, two, "--push"))
    assert [code for code, _ in results] == [0, 0], results
    action = results[0][1]  # it promoted, or found the other run had (main moved under it)
    assert "promoted ks_water_wells/" in action or "nothing to promote" in action, action
    assert count_promotions(world, tag_of(world, "ks_water_wells", sha)) == (1, 1, 1)
    assert len(ledger_lines(world)) == 1
