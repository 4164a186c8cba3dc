"""GitHub requests per promotion do not grow with the ledger: the tenth costs what the first did.

Releases are listed once (newest first, one page) instead of looked up tag by tag, and only
entries still missing a release or its manifest get a write."""

from __future__ import annotations

from pathlib import Path

import pytest

from kfm_bot.emulator.testing import running_emulator
from tests.github.world import World, make_world
from tests.promotion.world import change_dataset, clone, ledger_lines, merge, promote

pytestmark = pytest.mark.slow  # over a second a test: left out of `make test-fast`

BUDGET = 9  # GitHub requests per promotion, release and its two assets included, at any ledger size


def promoted(world: World, ci: Path) -> int:
    """Requests one `kfm-bot promote --push --release` made."""
    before = len(world.emu.requests)
    done = promote(world, ci, "--push", "--release")
    assert done.returncode == 0, done.stdout + done.stderr
    return len(world.emu.requests) - before


def test_requests_per_promotion_do_not_grow_with_the_ledger(tmp_path: Path) -> None:
    with running_emulator(tmp_path) as emu:
        world = make_world(emu, tmp_path)
        ci = clone(world, "ci")
        merge(world, change_dataset(world, "ks_water_wells", "Rev0", "b0"))
        first = promoted(world, ci)
        for n in range(1, 9):  # eight more merges, caught up by one cumulative run
            merge(world, change_dataset(world, "ks_water_wells", f"Rev{n}", f"b{n}"))
        promoted(world, ci)
        merge(world, change_dataset(world, "ks_water_wells", "Rev9", "b9"))
        tenth = promoted(world, ci)
        assert len(ledger_lines(world)) == 10
        assert tenth == first <= BUDGET
        releases = [r for r in emu.core.state.releases if r.repo == "org/data"]
        assert len(releases) == 10 and all(len(r.assets) == 2 for r in releases)
        assert promoted(world, ci) <= 2  # nothing left to do: the release listing, no write
