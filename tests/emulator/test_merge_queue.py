"""The emulator's merge queue: one branch per entry built on the one before, the event GitHub
sends for the group, and check runs on the group's merge commit through PyGithub."""

from __future__ import annotations

import pytest

from kfm_bot.emulator import events
from kfm_bot.emulator.control_queue import GroupRefused
from kfm_bot.emulator.state import CheckRun
from tests.emulator.conftest import World, client, git, push_branch


def test_enqueue_builds_one_branch_per_entry_and_the_group_event(world: World) -> None:
    emu = world.emu
    git(world.work, "checkout", "-q", "main")
    push_branch(world.work, "other", {"other.txt": "o\n"}, "other")
    second = emu.open_pull("org", "data", "other", author="alice", title="Other")
    base = git(world.work, "rev-parse", "origin/main")
    group = emu.enqueue("org", "data", [world.number, second], by="steward")
    heads = {n: emu.pull("org", "data", n).head_sha for n in (world.number, second)}
    refs = world.emu.core.refs("org/data")
    first_ref = f"refs/heads/gh-readonly-queue/main/pr-{world.number}-{heads[world.number]}"
    assert group.head_ref == f"refs/heads/gh-readonly-queue/main/pr-{second}-{heads[second]}"
    assert refs[group.head_ref] == group.head_sha and first_ref in refs
    assert (group.base_sha, group.base_ref) == (base, "refs/heads/main")
    payload = events.merge_group(emu, "org", "data", group, sender="steward")
    assert payload["action"] == "checks_requested"
    assert payload["merge_group"]["head_commit"]["id"] == group.head_sha
    assert payload["merge_group"]["head_commit"]["message"].startswith(
        f"Merge pull request #{second} from org/other"
    )
    repo = client(emu, world.bot).get_repo("org/data")
    repo.create_check_run(
        "kfm-bot / gates", group.head_sha, status="completed", conclusion="success"
    )
    assert [r.name for r in repo.get_commit(group.head_sha).get_check_runs()] == ["kfm-bot / gates"]
    assert emu.violations == []


def test_a_conflicting_or_closed_pull_request_cannot_join(world: World) -> None:
    emu = world.emu
    git(world.work, "checkout", "-q", "main")
    push_branch(world.work, "clash", {"new.txt": "other\n"}, "clash")
    clash = emu.open_pull("org", "data", "clash", author="alice")
    with pytest.raises(ValueError, match=f"#{clash} cannot join the queue"):
        emu.enqueue("org", "data", [world.number, clash], by="steward")
    emu.edit_pull("org", "data", clash, state="closed")
    with pytest.raises(ValueError, match="only open pull requests"):
        emu.enqueue("org", "data", [clash], by="steward")
    with pytest.raises(ValueError, match="at least one"):
        emu.enqueue("org", "data", [], by="steward")


def test_a_group_lands_only_when_its_pinned_checks_passed_on_the_merge_commit(
    world: World,
) -> None:
    emu = world.emu
    app_id, _ = emu.add_app("kfm-bot", "org")
    emu.require_checks("org", "data", "main", [("kfm-bot / gates", app_id)])
    base = git(world.work, "rev-parse", "origin/main")
    group = emu.enqueue("org", "data", [world.number], by="steward")
    repo = client(emu, world.bot).get_repo("org/data")
    # A success under the required name, but from GitHub Actions, not the pinned App.
    repo.create_check_run(
        "kfm-bot / gates", group.head_sha, status="completed", conclusion="success"
    )
    with pytest.raises(GroupRefused, match=r"'kfm-bot / gates' has not run"):
        emu.land_group("org", "data", group, by="steward")
    refs = emu.core.refs("org/data")
    assert refs["refs/heads/main"] == base and group.head_ref not in refs  # dequeued
    assert emu.pull("org", "data", world.number).state == "open"
    # Queued again, the pinned App's run passes, and the group lands as a fast-forward.
    group = emu.enqueue("org", "data", [world.number], by="steward")
    emu.core.state.check_runs.append(
        CheckRun(
            "org/data",
            emu.core.state.new_id(),
            "kfm-bot / gates",
            group.head_sha,
            "completed",
            "success",
            app_id=app_id,
        )
    )
    landed = emu.land_group("org", "data", group, by="steward")
    assert (landed.before, landed.after, landed.merged) == (base, group.head_sha, (world.number,))
    pull = emu.pull("org", "data", world.number)
    assert pull.merged and pull.merge_commit_sha == group.head_sha
    assert emu.core.refs("org/data")["refs/heads/main"] == group.head_sha
    # Landed once: its queue branches are gone, so it cannot land again.
    with pytest.raises(GroupRefused, match="queue branches are gone"):
        emu.land_group("org", "data", group, by="steward")
    assert emu.violations == []
