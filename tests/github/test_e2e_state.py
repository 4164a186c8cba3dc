"""Approval state across force-pushes: holds and commit contributors that no push history drops.

A steward's hold whose comment was deleted, and a steward who committed to the PR, must
still restrict the PR after the branch is squashed, rebased or reset to a new head that no
review and no earlier check run points at (emulator, real git, `kfm-bot action`, PyGithub).
"""

from __future__ import annotations

from typing import Any

import pytest

from kfm_bot.emulator import events
from tests.github.test_e2e_approvals import APPROVALS, approvals, edit_wells, ok
from tests.github.world import World, as_user
from tests.gitrepo import git

pytestmark = pytest.mark.slow  # over a second a test: left out of `make test-fast`

HISTORIES = ("squash", "rebase", "reset")
TRAILS = "registry/sources/ks-historic-trails-scan.yaml"


def rewrite(world: World, how: str, first: str) -> str:
    """Force-push branch `feat` rewritten by alice; `first` is the PR's first commit."""
    env = as_user("alice")
    git(world.work, "checkout", "-q", "feat", env=env)
    if how == "squash":  # every commit of the PR folded into one new commit
        git(world.work, "reset", "-q", "--soft", "origin/main", env=env)
        git(world.work, "commit", "-q", "-m", "squashed", env=env)
    elif how == "rebase":  # main moved on; the PR is replayed on top, committed by alice
        text = (world.work / TRAILS).read_text()
        world.push("main", {TRAILS: text + "# moved\n"}, "elsewhere", author="ike", base="main")
        git(world.work, "checkout", "-q", "feat", env=env)
        git(world.work, "rebase", "-q", "main", env=env)
    else:  # reset to the first commit, then a new commit on top
        git(world.work, "reset", "-q", "--hard", first, env=env)
        (world.work / "notes.md").write_text("reset and redone\n")
        git(world.work, "add", "-A", env=env)
        git(world.work, "commit", "-q", "-m", "redone", env=env)
    git(world.work, "push", "-q", "--force", "origin", "feat:feat", env=env)
    return git(world.work, "rev-parse", "HEAD", env=env)


def comment(world: World, number: int, user: str, body: str) -> int:
    cid = world.emu.add_comment("org", "data", number, user=user, body=body)
    ok(world.run("issue_comment", events.issue_comment(world.emu, "org", "data", cid)))
    return cid


def delete(world: World, cid: int) -> None:
    gone = world.emu.delete_comment("org", "data", cid)
    payload = events.issue_comment(world.emu, "org", "data", cid, "deleted", deleted=gone)
    ok(world.run("issue_comment", payload))


def summary(world: World, sha: str) -> str:
    return str(approvals(world, sha)["output"]["summary"])


@pytest.mark.parametrize("how", HISTORIES)
def test_hold_with_deleted_comment_survives_a_force_push(world: World, how: str) -> None:
    first = world.push("feat", edit_wells(world, "Clarified."), author="alice")
    number = world.emu.open_pull("org", "data", "feat", author="alice")
    second = world.push("feat", edit_wells(world, "Twice."), author="alice")
    ok(world.workflow_run(number))
    cid = comment(world, number, "june-harjo", "/kfm hold check the wells first")
    assert approvals(world, second)["conclusion"] == "failure"
    delete(world, cid)
    head = rewrite(world, how, first)
    assert head not in (first, second)
    assert APPROVALS not in world.check_runs(head)  # nothing points at the new head yet
    ok(world.review(number, "mara-osei"))  # the review path finds no state on the head
    run = approvals(world, head)
    assert run["conclusion"] == "failure", run["output"]["summary"]
    assert "check the wells first" in run["output"]["summary"]
    ok(world.workflow_run(number))  # the privileged run after the push
    assert approvals(world, head)["conclusion"] == "failure", summary(world, head)
    comment(world, number, "june-harjo", "/kfm unhold")  # only a later unhold lifts it
    assert approvals(world, head)["conclusion"] == "success", summary(world, head)


@pytest.mark.parametrize("how", HISTORIES)
def test_steward_whose_commit_was_rewritten_away_never_counts(world: World, how: str) -> None:
    first = world.push("feat", edit_wells(world, "Clarified."), author="alice")
    number = world.emu.open_pull("org", "data", "feat", author="alice")
    # mara-osei authors a commit (for a rebase: commits alice's change, which a rebase re-commits)
    steward = {"author": "alice", "committer": "mara-osei"} if how == "rebase" else {}
    extra = world.push(
        "feat",
        edit_wells(world, "By mara."),
        author=steward.get("author", "mara-osei"),
        committer=steward.get("committer"),
    )
    ok(world.workflow_run(number))
    assert approvals(world, extra)["conclusion"] == "action_required"
    head = rewrite(world, how, first)
    assert APPROVALS not in world.check_runs(head)
    ok(world.workflow_run(number))
    ok(world.review(number, "mara-osei"))  # on the new head: no review points at the old one
    run = approvals(world, head)
    assert run["conclusion"] == "action_required", run["output"]["summary"]
    ok(world.review(number, "tomas-reyes"))  # a steward who never touched the PR counts
    assert approvals(world, head)["conclusion"] == "success", summary(world, head)


def records(world: World, number: int) -> list[dict[str, Any]]:
    found = world.api(f"/repos/org/data/issues/{number}/comments")
    return [c for c in found if "kfm-approvals-state" in c["body"]]


def test_state_record_is_one_bot_comment_edited_in_place(world: World) -> None:
    world.push("feat", edit_wells(world, "Clarified."), author="alice")
    number = world.emu.open_pull("org", "data", "feat", author="alice")
    ok(world.workflow_run(number))
    comment(world, number, "june-harjo", "/kfm hold wait")
    comment(world, number, "june-harjo", "/kfm unhold")
    ok(world.review(number, "mara-osei"))
    [record] = records(world, number)
    assert record["user"] == {**record["user"], "login": "kfm-bot[bot]", "type": "Bot"}
    assert "/kfm" not in str(record["body"])  # the record itself holds no command


def test_a_state_block_posted_by_a_person_is_never_read(world: World) -> None:
    from kfm_bot.approvals.check_run_state import state_block
    from kfm_bot.approvals.state import ApprovalState, Hold

    sha = world.push("feat", edit_wells(world, "Clarified."), author="alice")
    number = world.emu.open_pull("org", "data", "feat", author="alice")
    ok(world.workflow_run(number))
    hold = Hold(
        source="comment:1",
        by_id=4410023,
        by_login="june-harjo",
        reason="made-up-hold",
        at="2026-01-01T00:00:00Z",
    )
    forged = ApprovalState(pr=number, head_sha=sha, holds=(hold,), contributors=(4410022,))
    comment(world, number, "bob", "bot state\n\n" + state_block(forged))
    ok(world.review(number, "tomas-reyes"))
    run = approvals(world, sha)
    assert run["conclusion"] == "success", run["output"]["summary"]
    assert "made-up-hold" not in run["output"]["summary"]
