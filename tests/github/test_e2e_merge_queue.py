"""The merge queue end to end: the emulator builds the group's merge commits, `kfm-bot action`
handles `merge_group` with the real PyGithub client, and both check runs land on the group's
merge commit."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest

from kfm_bot.approvals.state import Hold
from kfm_bot.emulator import events
from kfm_bot.emulator.control_queue import GroupRefused, MergeGroup
from kfm_bot.github.identity import FORGEABLE, UNSIGNED
from kfm_bot.github.interface import CheckOutput
from kfm_bot.github.pygithub_client import PyGithubClient, app_client
from tests.github.test_app_identity import _AT as AT
from tests.github.test_app_identity import FAST, STATE_KEY, forged_state
from tests.github.test_e2e_approvals import edit_wells, ok
from tests.github.world import World
from tests.promotion.world import change_dataset, clone, count_promotions, remote_refs, tag_of

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


def conflicting_prs(world: World) -> tuple[int, int]:
    """Two approved PRs that each give ks_water_wells another spec (two versions of it)."""
    spec = (world.work / SPEC).read_text()
    first, _ = approved_pr(
        world, "title", {SPEC: spec.replace("title: Kansas Water Wells", "title: KS Wells", 1)}
    )
    second, _ = approved_pr(
        world,
        "decimals",
        {SPEC: spec.replace("coordinate_decimals: 4", "coordinate_decimals: 3", 1)},
    )
    return first, second


def test_two_prs_promoting_conflicting_versions_of_a_dataset_fail_naming_both(
    world: World,
) -> None:
    first, second = conflicting_prs(world)
    group, done = queue(world, first, second)
    assert done.returncode == 1, done.stdout + done.stderr
    _, approvals = runs(world, group)
    summary = approvals["output"]["summary"]
    assert approvals["conclusion"] == "failure"
    assert f"#{first} and #{second} would promote conflicting versions of ks_water_wells" in summary
    # Git merged both edits: the spec that lands is neither PR's approved content.
    for number in (first, second):
        assert f"#{number}: the approved content of ks_water_wells is not what lands" in summary


# the carried state on the queue's path: sealed, and only from kfm-bot's own runs -------------


def forger(world: World) -> PyGithubClient:
    """A workflow of the repository posting with its GITHUB_TOKEN: the GitHub Actions app."""
    world.emu.add_collaborator("org", "data", "alice", "write")
    return PyGithubClient(world.tokens["alice"], "org/data", world.emu.base_url, FAST)


def test_an_unsealed_state_that_would_fail_the_group_is_ignored_and_reported(
    world: World,
) -> None:
    world.env["KFM_STATE_KEY"] = STATE_KEY
    number, sha = approved_pr(world, "feat", edit_wells(world, "Clarified."))
    # A workflow posts a newer approvals run on the PR's head, its state holding a made-up hold.
    hold = Hold(source="comment:7", by_id=4410023, by_login="june-harjo", reason="made-up", at=AT)
    body = CheckOutput("t", "s", forged_state(number, sha, holds=(hold,)))
    fake = forger(world).create_check_run(sha, APPROVALS, "completed", body, "success")
    group, done = queue(world, number)
    assert done.returncode == 0, done.stdout + done.stderr  # the forged hold was not used
    _, approvals = runs(world, group)
    summary = approvals["output"]["summary"]
    assert approvals["conclusion"] == "success", summary
    assert (
        f"#{number}: check run {fake.id}: ignored an approvals state whose seal does not hold"
        in summary
    )
    assert FORGEABLE in summary and UNSIGNED not in summary


def test_an_unsealed_state_that_would_pass_the_group_is_ignored_and_reported(
    world: World,
) -> None:
    """The forged state's history claims a commit the PR never had, on which a steward's
    review was made: used, it would bind that approval to the PR's content."""
    world.env["KFM_STATE_KEY"] = STATE_KEY
    files = edit_wells(world, "Clarified.")
    elsewhere = world.push("elsewhere", files, message="the same content, elsewhere", base="main")
    sha = world.push("feat", files, base="main")
    number = world.emu.open_pull("org", "data", "feat", author="alice")
    ok(world.review(number, "mara-osei", commit_id=elsewhere))
    body = CheckOutput("t", "s", forged_state(number, sha, history=(sha, elsewhere)))
    fake = forger(world).create_check_run(sha, APPROVALS, "completed", body, "success")
    group, done = queue(world, number)
    assert done.returncode == 1, done.stdout + done.stderr
    _, approvals = runs(world, group)
    summary = approvals["output"]["summary"]
    assert approvals["conclusion"] == "failure", summary
    assert f"#{number}: its approvals are not complete" in summary
    assert f"check run {fake.id}: ignored an approvals state whose seal does not hold" in summary


def test_another_apps_runs_under_the_bots_names_are_reported_on_the_merge_commit(
    world: World,
) -> None:
    number, sha = approved_pr(world, "feat", edit_wells(world, "Clarified."))
    other_id, key = world.emu.add_app("other-ci", "org")
    world.emu.install_app(other_id, "org")
    other = app_client(str(other_id), key, "org/data", world.emu.base_url, FAST)
    hold = Hold(source="comment:7", by_id=4410023, by_login="june-harjo", reason="made-up", at=AT)
    state = CheckOutput("t", "s", forged_state(number, sha, holds=(hold,)))
    on_head = other.create_check_run(sha, APPROVALS, "completed", state, "success")
    group = world.emu.enqueue("org", "data", [number], by="mara-osei")
    ok_output = CheckOutput("ok", "ok")
    on_group = other.create_check_run(group.head_sha, GATES, "completed", ok_output, "success")
    payload = events.merge_group(world.emu, "org", "data", group, sender="mara-osei")
    done = world.run("merge_group", payload)
    assert done.returncode == 0, done.stdout + done.stderr  # the other app's hold is never read
    gates, approvals = runs_of(world, group.head_sha, "github-actions")
    for fake in (on_head, on_group):
        line = f"Forged check run reported: run {fake.id}"
        assert line in approvals["output"]["summary"] and line in gates["output"]["summary"]
        assert line in done.stdout
    assert "made-up" not in approvals["output"]["summary"]


def runs_of(world: World, sha: str, app_slug: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The gates and approvals runs `app_slug` made on `sha`."""
    found = world.api(f"/repos/org/data/commits/{sha}/check-runs?filter=all")["check_runs"]
    mine = {r["name"]: r for r in found if r["app"]["slug"] == app_slug}
    return mine[GATES], mine[APPROVALS]


# landing: the queue merges a group whose required checks passed, then promotion runs ----------

ACTIONS_APP = 15368  # GITHUB_TOKEN mode: the bot's runs are GitHub Actions'


def required(world: World) -> None:
    """The default branch's ruleset: a merge queue requiring both runs, pinned to the bot."""
    world.emu.require_checks(
        "org", "data", "main", [(GATES, ACTIONS_APP), (APPROVALS, ACTIONS_APP)]
    )


def test_a_passing_group_lands_on_main_and_its_datasets_promote(world: World) -> None:
    required(world)
    first = change_dataset(world, "ks_water_wells", "Revised", "wells")
    second = change_dataset(world, "ks_county_boundaries", "Revised", "density")
    group, done = queue(world, first, second)
    assert done.returncode == 0, done.stdout + done.stderr
    landed = world.emu.land_group("org", "data", group, by="mara-osei")
    assert landed.merged == (first, second)
    assert remote_refs(world)["refs/heads/main"] == group.head_sha  # a fast-forward
    assert not [r for r in remote_refs(world) if "gh-readonly-queue" in r]
    merges = {n: world.emu.pull("org", "data", n).merge_commit_sha for n in (first, second)}
    assert merges[second] == group.head_sha and all(
        world.emu.pull("org", "data", n).merged for n in merges
    )
    payload = events.push(
        world.emu, "org", "data", "refs/heads/main", landed.before, pusher="mara-osei"
    )
    pushed = world.run("push", payload, workspace=clone(world, "ci"))
    assert pushed.returncode == 0, pushed.stdout + pushed.stderr
    for number, slug in ((first, "ks_water_wells"), (second, "ks_county_boundaries")):
        merge_sha = merges[number]
        assert merge_sha is not None
        assert count_promotions(world, tag_of(world, slug, merge_sha)) == (1, 1, 1), pushed.stdout


def test_a_group_missing_an_approval_does_not_land_and_names_the_pr(world: World) -> None:
    required(world)
    approved = change_dataset(world, "ks_water_wells", "Revised", "wells")
    unapproved = change_dataset(world, "ks_county_boundaries", "Revised", "density", approve=False)
    before = remote_refs(world)["refs/heads/main"]
    group, done = queue(world, approved, unapproved)
    assert done.returncode == 1, done.stdout + done.stderr
    _, approvals = runs(world, group)
    summary = approvals["output"]["summary"]
    assert f"#{unapproved}: its approvals are not complete" in summary
    assert f"#{approved}: its approvals are not complete" not in summary
    with pytest.raises(
        GroupRefused, match=f"#{approved}, #{unapproved} was not merged: '{APPROVALS}' is failure"
    ):
        world.emu.land_group("org", "data", group, by="mara-osei")
    refs = remote_refs(world)
    assert refs["refs/heads/main"] == before  # nothing landed, so nothing can promote
    assert not [r for r in refs if "gh-readonly-queue" in r]  # the group left the queue
    assert all(world.emu.pull("org", "data", n).state == "open" for n in (approved, unapproved))


def test_a_group_with_conflicting_versions_does_not_land(world: World) -> None:
    required(world)
    first, second = conflicting_prs(world)
    before = remote_refs(world)["refs/heads/main"]
    group, done = queue(world, first, second)
    assert done.returncode == 1, done.stdout + done.stderr
    with pytest.raises(GroupRefused, match=f"#{first}, #{second} was not merged"):
        world.emu.land_group("org", "data", group, by="mara-osei")
    assert remote_refs(world)["refs/heads/main"] == before
