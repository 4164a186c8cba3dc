"""A review and its relay read the PR's commits in the head's one snapshot (GraphQL); a review
whose head has moved on by the time its event runs stands on the bot's own state for them
instead of listing them over REST (one request fewer). Nothing is lost either way: a steward
who committed still never counts, an unattributed commit still fails closed, and a state
nobody can vouch for never stands in (emulator, real git, `kfm-bot action`, PyGithub)."""

from __future__ import annotations

import pytest

from tests.github.test_e2e_approvals import approvals, edit_wells, ok
from tests.github.world import World

pytestmark = pytest.mark.slow  # emulator worlds: left out of `make test-fast`

STATE_KEY = "kfm-test-state-key-" + "0" * 24


def made(world: World, action: object) -> list[str]:
    """`METHOD path` of every request the action made."""
    before = len(world.emu.requests)
    assert callable(action)
    ok(action())
    return [f"{r.method} {r.path}" for r in world.emu.requests[before:]]


def lists_commits(requests: list[str], number: int) -> bool:
    return f"GET /repos/org/data/pulls/{number}/commits" in requests


def review_of_a_moved_head(world: World, number: int, user: str) -> list[str]:
    """A review of the head the bot has seen, whose event runs after a new push (the
    snapshot of the reviewed head holds no PR: the REST path)."""
    from kfm_bot.emulator import events

    rid = world.emu.submit_review("org", "data", number, user=user, state="APPROVED")
    payload = events.pull_request_review(world.emu, "org", "data", number, rid)
    world.push("feat", {"docs/later.md": "later\n"}, author="alice")
    return made(world, lambda: world.run("pull_request_review", payload))


def test_a_sealed_review_and_its_relay_read_the_commits_in_one_request(world: World) -> None:
    world.env["KFM_STATE_KEY"] = STATE_KEY
    sha = world.push("feat", edit_wells(world, "Sealed."), author="alice")
    number = world.emu.open_pull("org", "data", "feat", author="alice")
    pushed = made(world, lambda: world.workflow_run(number))
    # a new head: its commits are read, in the privileged run's one snapshot (GraphQL)
    assert "POST /graphql" in pushed and not lists_commits(pushed, number), pushed
    reviewed = made(world, lambda: world.review(number, "mara-osei"))
    relayed = made(world, lambda: world.workflow_run(number, event="pull_request_review"))
    # the snapshot carries the commit list in its one read: nothing needs to stand in for it
    assert reviewed[0] == "POST /graphql" and len(reviewed) <= 3, reviewed
    assert relayed[0] == "POST /graphql" and len(relayed) <= 2, relayed
    assert not lists_commits(reviewed + relayed, number)
    assert approvals(world, sha)["conclusion"] == "success"


def test_a_sealed_state_stands_for_the_commits_of_a_head_that_moved_on(world: World) -> None:
    world.env["KFM_STATE_KEY"] = STATE_KEY
    sha = world.push("feat", edit_wells(world, "Sealed."), author="alice")
    number = world.emu.open_pull("org", "data", "feat", author="alice")
    ok(world.workflow_run(number))
    reviewed = review_of_a_moved_head(world, number, "mara-osei")
    assert f"GET /repos/org/data/pulls/{number}/reviews" in reviewed, reviewed  # REST path
    assert not lists_commits(reviewed, number), reviewed
    assert approvals(world, sha)["conclusion"] == "success"


def test_a_steward_who_committed_never_counts_on_the_carried_state(world: World) -> None:
    world.env["KFM_STATE_KEY"] = STATE_KEY
    world.push("feat", edit_wells(world, "Clarified."), author="alice")
    head = world.push("feat", edit_wells(world, "By mara."), author="mara-osei")
    number = world.emu.open_pull("org", "data", "feat", author="alice")
    ok(world.workflow_run(number))
    reviewed = made(world, lambda: world.review(number, "mara-osei"))
    relayed = made(world, lambda: world.workflow_run(number, event="pull_request_review"))
    assert not lists_commits(reviewed + relayed, number)
    run = approvals(world, head)
    assert run["conclusion"] == "action_required", run["output"]["summary"]
    ok(world.review(number, "tomas-reyes"))  # a steward who never touched the PR counts
    assert approvals(world, head)["conclusion"] == "success"


def test_an_unattributed_commit_fails_closed_on_the_carried_state(world: World) -> None:
    world.env["KFM_STATE_KEY"] = STATE_KEY
    head = world.push("feat", edit_wells(world, "Nobody."), author="no-such-account-x")
    number = world.emu.open_pull("org", "data", "feat", author="alice")
    ok(world.workflow_run(number))
    assert approvals(world, head)["conclusion"] == "failure"
    relayed = made(world, lambda: world.review(number, "mara-osei"))
    relayed += made(world, lambda: world.workflow_run(number, event="pull_request_review"))
    assert not lists_commits(relayed, number)
    run = approvals(world, head)
    assert run["conclusion"] == "failure", run["output"]["summary"]
    assert "not linked to a GitHub account" in str(run["output"]["text"]) + str(
        run["output"]["summary"]
    )


def test_an_unsealed_state_never_stands_for_the_commits(world: World) -> None:
    # GITHUB_TOKEN mode without KFM_STATE_KEY: any workflow could have written the state
    world.push("feat", edit_wells(world, "Unsealed."), author="alice")
    number = world.emu.open_pull("org", "data", "feat", author="alice")
    ok(world.workflow_run(number))
    assert lists_commits(review_of_a_moved_head(world, number, "mara-osei"), number)
