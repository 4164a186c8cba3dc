"""The merge queue end to end: the emulator builds the group's merge commits, `kfm-bot action`
handles `merge_group` with the real PyGithub client, and both check runs land on the group's
merge commit."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest

from kfm_bot.emulator import events
from kfm_bot.emulator.control_queue import MergeGroup
from tests.github.test_e2e_approvals import edit_wells
from tests.github.world import World

pytestmark = pytest.mark.slow  # emulator worlds: left out of `make test-fast`

APPROVALS = "kfm-bot / approvals"
GATES = "kfm-bot / gates"
SPEC = "specs/ks_water_wells/spec.yaml"


def approved_pr(world: World, branch: str, files: dict[str, str | None]) -> tuple[int, str]:
    """A PR by alice, approved by the data steward, its privileged run done."""
    sha = world.push(branch, files, base="main")
    number = world.emu.open_pull("org", "data", branch, author="alice")
    done = world.review(number, "mara-osei")
    assert done.returncode in (0, 1), done.stderr
    return number, sha


def queue(world: World, *numbers: int) -> tuple[MergeGroup, subprocess.CompletedProcess[str]]:
    group = world.emu.enqueue("org", "data", list(numbers), by="mara-osei")
    payload = events.merge_group(world.emu, "org", "data", group, sender="mara-osei")
    return group, world.run("merge_group", payload)


def runs(world: World, group: MergeGroup) -> tuple[dict[str, Any], dict[str, Any]]:
    found = world.check_runs(group.head_sha)
    return found[GATES], found[APPROVALS]


def test_a_group_with_one_approved_pr_passes_on_its_merge_commit(world: World) -> None:
    number, _ = approved_pr(world, "feat", edit_wells(world, "Clarified."))
    group, done = queue(world, number)
    assert done.returncode == 0, done.stdout + done.stderr
    gates, approvals = runs(world, group)
    assert gates["conclusion"] == "success", gates["output"]["summary"]
    assert approvals["conclusion"] == "success", approvals["output"]["summary"]
    assert f"#{number}: approvals success for ks_water_wells" in approvals["output"]["summary"]
    assert group.head_ref.endswith(f"/pr-{number}-{world.emu.pull('org', 'data', number).head_sha}")


def test_an_approval_that_no_longer_covers_the_content_fails_the_group(world: World) -> None:
    number, _ = approved_pr(world, "feat", edit_wells(world, "Clarified."))
    world.push("feat", edit_wells(world, "Changed after the review."))
    group, done = queue(world, number)
    assert done.returncode == 1, done.stdout + done.stderr
    _, approvals = runs(world, group)
    assert approvals["conclusion"] == "failure"
    summary = approvals["output"]["summary"]
    assert f"#{number}: its approvals are not complete (action_required)" in summary


def test_a_group_without_queue_branches_is_never_a_blanket_success(world: World) -> None:
    number, _ = approved_pr(world, "feat", edit_wells(world, "Clarified."))
    group = world.emu.enqueue("org", "data", [number], by="mara-osei")
    # A hand-made event whose head is not a queue branch: no member, nothing approved.
    payload = events.merge_group(world.emu, "org", "data", group, sender="mara-osei")
    payload["merge_group"]["head_ref"] = "refs/heads/elsewhere"
    bare = str(world.emu.core.git_path("org/data"))
    for args in (("refs/heads/elsewhere", group.head_sha), ("-d", group.head_ref)):
        subprocess.run(["git", "-C", bare, "update-ref", *args], check=True, timeout=30)
    done = world.run("merge_group", payload)
    assert done.returncode == 1, done.stdout + done.stderr
    _, approvals = runs(world, group)
    assert approvals["conclusion"] == "failure"
    assert "no queued pull request could be found" in approvals["output"]["summary"]


def test_two_prs_promoting_conflicting_versions_of_a_dataset_fail_naming_both(
    world: World,
) -> None:
    spec = (world.work / SPEC).read_text()
    first, _ = approved_pr(
        world, "title", {SPEC: spec.replace("title: Kansas Water Wells", "title: KS Wells", 1)}
    )
    second, _ = approved_pr(
        world,
        "decimals",
        {SPEC: spec.replace("coordinate_decimals: 4", "coordinate_decimals: 3", 1)},
    )
    group, done = queue(world, first, second)
    assert done.returncode == 1, done.stdout + done.stderr
    _, approvals = runs(world, group)
    summary = approvals["output"]["summary"]
    assert approvals["conclusion"] == "failure"
    assert f"#{first} and #{second} would promote conflicting versions of ks_water_wells" in summary
    # Git merged both edits: the spec that lands is neither PR's approved content.
    for number in (first, second):
        assert f"#{number}: the approved content of ks_water_wells is not what lands" in summary
