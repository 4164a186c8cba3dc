"""Promotion's git work costs what changed, not the repository's 10,000 tags and promotions
(issue 9).

A CI checkout of the pushed branch already has the remote's tip: the run lists the remote's
branches and tags once and fetches nothing (a fetch checks connectivity against every local
tag). A stale checkout still fetches, and both land the same promotion. No whole tree is listed:
`registry/promotions` holds a folder per promotion ever made."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.github.world import World
from tests.promotion.world import change_dataset, clone, count_promotions, merge, promote, tag_of

pytestmark = pytest.mark.slow  # emulator and subprocesses


def git_commands(trace: Path) -> list[list[str]]:
    """argv of every git process a run started (GIT_TRACE2_EVENT, one file per process)."""
    out = []
    for path in sorted(trace.iterdir()):
        for line in path.read_text().splitlines():
            event = json.loads(line)
            if event["event"] == "start":
                out.append(event["argv"][1:])
    return out


def traced_promote(world: World, ci: Path, name: str) -> list[list[str]]:
    trace = world.tmp / name
    trace.mkdir()
    done = promote(world, ci, "--push", "--release", GIT_TRACE2_EVENT=str(trace))
    assert done.returncode == 0, done.stdout + done.stderr
    return git_commands(trace)


def test_a_checkout_that_has_the_tip_fetches_nothing(world: World) -> None:
    sha = merge(world, change_dataset(world, "ks_water_wells", "Fresh", "b0"))
    ci = clone(world, "ci")  # the push workflow's checkout: the merge is here
    commands = traced_promote(world, ci, "trace-fresh")
    assert not [c for c in commands if c[:1] == ["fetch"]], commands
    assert [c for c in commands if c[:1] == ["ls-remote"]] == [
        ["ls-remote", "--heads", "--tags", "origin"]
    ]
    assert count_promotions(world, tag_of(world, "ks_water_wells", sha)) == (1, 1, 1)
    # No commit's whole tree is listed (that listing grows with every promotion's folder):
    # approvals and the policies digest read the folders they need.
    assert not [c for c in commands if c[:2] == ["ls-tree", "-r"]]


def test_a_stale_checkout_fetches_the_new_tip_and_lands_on_it(world: World) -> None:
    ci = clone(world, "ci")
    sha = merge(world, change_dataset(world, "ks_water_wells", "Stale", "b1"))
    commands = traced_promote(world, ci, "trace-stale")
    fetches = [c for c in commands if c[:1] == ["fetch"]]
    assert fetches == [
        ["fetch", "--quiet", "--no-tags", "origin", "+refs/heads/main:refs/remotes/origin/main"]
    ]
    assert count_promotions(world, tag_of(world, "ks_water_wells", sha)) == (1, 1, 1)
