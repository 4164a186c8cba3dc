"""GitHub faults (5xx, rate limits, dropped connections): complete, or stop and finish later.

In-process with the real PyGithub client and a fast retry policy (the subprocess runs in the
other tests use the default policy, whose waits are seconds long).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kfm_bot.app.github_promotion import GitHubPromotionHost
from kfm_bot.errors import EXIT_SERVICE, ServiceError
from kfm_bot.github.pygithub_client import PyGithubClient
from kfm_bot.github.retry import RetryPolicy
from kfm_bot.promotion.run import PromoteOptions, promote
from tests.github.world import World
from tests.promotion.world import (
    change_dataset,
    clone,
    count_promotions,
    ledger_lines,
    merge,
    promotion_commits,
    remote_git,
    tag_of,
)

pytestmark = pytest.mark.slow  # over a second a test: left out of `make test-fast`

FAST = RetryPolicy(attempts=4, max_total=5.0, base_delay=0.01, max_delay=0.05)
REPO = "/repos/org/data"


def run(world: World, where: Path) -> int:
    client = PyGithubClient(world.bot, "org/data", world.emu.base_url, FAST)
    host = GitHubPromotionHost(client, where, lambda _: None)
    return promote(PromoteOptions(where, push=True, release=True), host, lambda _: None)


def releases(world: World, tag: str) -> list[int]:
    """Assets per release of `tag`: the manifest and the promotion statement."""
    return [len(r.assets) for r in world.emu.core.state.releases if r.tag_name == tag]


def test_transient_faults_everywhere_still_complete_once(world: World) -> None:
    sha = merge(world, change_dataset(world, "ks_water_wells", "Revised", "a"), "merge")
    tag = tag_of(world, "ks_water_wells", sha)
    faults = world.emu.faults
    faults.add("GET", f"{REPO}/commits/*/pulls", status=502)
    faults.add("GET", f"{REPO}/commits/*/pulls", drop_connection=True)
    faults.add("POST", "/graphql", secondary_rate_limit=True, retry_after=0)  # the PR read
    faults.add("POST", f"{REPO}/releases", status=429, retry_after=0)
    faults.add("POST", f"{REPO}/releases", drop_connection=True)
    faults.add("POST", f"{REPO}/releases/*/assets", status=503)
    faults.add("POST", f"{REPO}/releases/*/assets", drop_connection=True)
    assert run(world, clone(world, "ci")) == 0
    assert all(f.hits == 1 for f in faults._items), "every fault was met"
    assert count_promotions(world, tag) == (1, 1, 1)
    assert releases(world, tag) == [2]


def test_release_keeps_failing_stops_clearly_and_next_run_finishes(world: World) -> None:
    sha = merge(world, change_dataset(world, "ks_water_wells", "Revised", "a"), "squash")
    tag = tag_of(world, "ks_water_wells", sha)
    world.emu.faults.add("POST", f"{REPO}/releases", status=500, times=-1)
    ci = clone(world, "ci")
    with pytest.raises(ServiceError) as stopped:
        run(world, ci)
    assert stopped.value.exit_code == EXIT_SERVICE
    assert str(stopped.value).startswith("GitHub did not answer POST")
    assert count_promotions(world, tag) == (1, 1, 1) and releases(world, tag) == []
    world.emu.faults.clear()
    world.emu.faults.add("POST", f"{REPO}/releases/*/assets", secondary_rate_limit=True, times=-1)
    with pytest.raises(ServiceError):
        run(world, ci)  # the release is made, its manifest upload keeps failing
    assert releases(world, tag) == [0]
    world.emu.faults.clear()
    assert run(world, clone(world, "ci2")) == 0
    assert count_promotions(world, tag) == (1, 1, 1) and releases(world, tag) == [2]


def test_pull_lookup_keeps_failing_lands_nothing_then_the_next_run_does(world: World) -> None:
    sha = merge(world, change_dataset(world, "ks_county_boundaries", "Revised", "a"), "rebase")
    tag = tag_of(world, "ks_county_boundaries", sha)
    world.emu.faults.add("GET", f"{REPO}/commits/*/pulls", drop_connection=True, times=-1)
    ci = clone(world, "ci")
    with pytest.raises(ServiceError) as stopped:
        run(world, ci)
    assert "pulls" in str(stopped.value) and world.bot not in str(stopped.value)
    assert count_promotions(world, tag) == (0, 0, 0)
    world.emu.faults.clear()
    assert run(world, ci) == 0
    assert count_promotions(world, tag) == (1, 1, 1) and releases(world, tag) == [2]


def test_push_rejected_because_main_moved_regenerates_on_the_new_main(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone merges between our fetch and our push: the push is rejected, we rebuild on top."""
    from kfm_bot.git import write

    sha = merge(world, change_dataset(world, "ks_water_wells", "Revised", "a"), "merge")
    tag = tag_of(world, "ks_water_wells", sha)
    real_push, pushes = write.push, list[str]()

    def push_after_a_merge(repo: object, remote: str, *refspecs: str) -> bool:
        if not pushes:  # the first push (commit and tag): another PR lands just before it
            other = change_dataset(world, "ks_county_boundaries", "Revised", "b")
            pushes.append(merge(world, other, "squash"))
        return bool(real_push(repo, remote, *refspecs))  # type: ignore[arg-type]

    monkeypatch.setattr(write, "push", push_after_a_merge)
    assert run(world, clone(world, "ci")) == 0
    commit = promotion_commits(world, tag)
    assert len(commit) == 1
    assert remote_git(world, "rev-parse", f"{commit[0]}^") == pushes[0]  # rebuilt on the new main
    assert count_promotions(world, tag) == (1, 1, 1)
    monkeypatch.setattr(write, "push", real_push)
    assert run(world, clone(world, "ci2")) == 0  # the next run promotes the merge that raced us
    assert [e["dataset_slug"] for e in ledger_lines(world)] == [
        "ks_water_wells",
        "ks_county_boundaries",
    ]


def test_tag_taken_just_before_the_push_lands_nothing(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone pushes the release tag by hand between the run's tag check and its push: the
    commit and the tag go in one atomic push, so main does not move and the run refuses."""
    from kfm_bot.errors import GateFailure
    from kfm_bot.git import write

    sha = merge(world, change_dataset(world, "ks_water_wells", "Revised", "a"), "merge")
    tag = tag_of(world, "ks_water_wells", sha)
    real_push = write.push

    def push_after_a_tag(repo: object, remote: str, *refspecs: str) -> bool:
        remote_git(world, "tag", tag, sha)  # the tag, on the merge rather than a promotion
        return bool(real_push(repo, remote, *refspecs))  # type: ignore[arg-type]

    monkeypatch.setattr(write, "push", push_after_a_tag)
    with pytest.raises(GateFailure, match=f"release tag of {tag}.*taken"):
        run(world, clone(world, "ci"))
    assert count_promotions(world, tag) == (0, 1, 0)  # the hand-made tag only: no commit
    assert remote_git(world, "rev-parse", f"refs/tags/{tag}") == sha
