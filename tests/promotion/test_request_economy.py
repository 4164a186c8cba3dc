"""GitHub requests per promotion do not grow with the ledger: the tenth costs what the first did.

Releases are listed once (newest first, one page) instead of looked up tag by tag, and only
entries still missing a release or its manifest get a write."""

from __future__ import annotations

from pathlib import Path

import pytest

from kfm_bot.emulator.testing import running_emulator
from tests.github.world import World, make_world
from tests.promotion.world import (
    change_dataset,
    clone,
    ledger_lines,
    merge,
    promote,
    sealed_promotion,
)

pytestmark = pytest.mark.slow  # over a second a test: left out of `make test-fast`

BUDGET = 6  # GitHub requests per promotion, release and its two assets included, at any ledger size


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


LARGER = 300  # generated earlier promotions (benchmarks/generate.py): 600 commits, 300 tags


def endpoint(method: str, path: str) -> str:
    """`GET /repos/org/data/pulls/7/reviews` -> `GET pulls/N/reviews` (numbers and shas out)."""
    parts = path.removeprefix("/repos/org/data/").split("/")
    return method + " " + "/".join("N" if p.isdigit() or len(p) == 40 else p for p in parts)


def test_requests_per_promotion_are_the_same_after_hundreds_of_entries(tmp_path: Path) -> None:
    """The count, and which requests they are, at 1 entry and after 300 generated ones."""
    from benchmarks.generate import extend

    seen: dict[str, list[str]] = {}
    for name, earlier in (("small", 0), ("larger", LARGER)):
        where = tmp_path / name
        where.mkdir()
        with running_emulator(where) as emu:
            world = make_world(emu, where)
            extend(Path(emu.git_url("org", "data")), earlier)
            if earlier:  # as earlier runs left it: the recent entries released
                merge(world, change_dataset(world, "ks_water_wells", "Warm", "w"))
                promoted(world, clone(world, "warm"))
            merge(world, change_dataset(world, "ks_water_wells", "Rev", "b"))
            ci = clone(world, "ci")
            before = len(emu.requests)
            promoted(world, ci)
            seen[name] = [endpoint(r.method, r.path) for r in emu.requests[before:]]
            assert len(ledger_lines(world)) == earlier + (2 if earlier else 1)
    assert seen["larger"] == seen["small"]
    assert len(seen["small"]) <= BUDGET
    assert seen["small"] == [
        "GET commits/N/pulls",  # the merged PR of the merge commit
        # approvals, one GraphQL read: the PR head's check runs (the carried state), its
        # reviews, its commits as accounts (not forgeable git identities) and its comments
        # (steward commands and holds)
        "POST /graphql",
        "GET releases",  # resumes a release an earlier run left half-made
        "POST releases",
        "POST releases/N/assets",  # the manifest
        "POST releases/N/assets",  # the promotion statement
    ]


def test_a_promotion_with_a_sealed_state_makes_the_same_six_requests(world: World) -> None:
    """As the README sets it up (KFM_STATE_KEY in the protected environment) a promotion makes
    the same 6 requests: the one GraphQL read lists the merged PR's commits either way."""
    made = [endpoint(r.method, r.path) for r in sealed_promotion(world, "sealed")]
    assert len(made) == BUDGET, made
    assert made[:2] == ["GET commits/N/pulls", "POST /graphql"]
    assert made[-3:] == ["POST releases", "POST releases/N/assets", "POST releases/N/assets"]


@pytest.mark.parametrize("method", ["squash", "rebase"])
def test_a_squashed_or_rebased_pr_promotes_in_the_same_six_requests(
    world: World, method: str
) -> None:
    """The merged PR is read by its number, not through its head commit (which a squash or a
    rebase leaves off the default branch): the same one GraphQL read, the same 6 requests."""
    ci = clone(world, "ci")
    merge(world, change_dataset(world, "ks_water_wells", "Squashed", "s"), method)
    before = len(world.emu.requests)
    done = promote(world, ci, "--push", "--release")
    assert done.returncode == 0, done.stdout + done.stderr
    made = [endpoint(r.method, r.path) for r in world.emu.requests[before:]]
    assert len(made) == BUDGET, made
    assert made[:2] == ["GET commits/N/pulls", "POST /graphql"]
