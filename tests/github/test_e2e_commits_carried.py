"""A review stands on the bot's own state for the PR's commits (one request fewer), and its
relay reads them in the privileged run's one snapshot; neither loses anything by it: a
steward who committed still never counts, an unattributed commit still fails closed, and a
state nobody can vouch for never stands in (emulator, real git, `kfm-bot action`,
PyGithub)."""

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


def test_a_sealed_review_and_its_relay_read_no_commit_list(world: World) -> None:
    world.env["KFM_STATE_KEY"] = STATE_KEY
    sha = world.push("feat", edit_wells(world, "Sealed."), author="alice")
    number = world.emu.open_pull("org", "data", "feat", author="alice")
    pushed = made(world, lambda: world.workflow_run(number))
    # a new head: its commits are read, in the privileged run's one snapshot (GraphQL)
    assert "POST /graphql" in pushed and not lists_commits(pushed, number), pushed
    reviewed = made(world, lambda: world.review(number, "mara-osei"))
    relayed = made(world, lambda: world.workflow_run(number, event="pull_request_review"))
    assert not lists_commits(reviewed, number) and len(reviewed) <= 3, reviewed
    # the relay's snapshot carries the commit list in its one read: nothing stands in for it
    assert not lists_commits(relayed, number) and len(relayed) <= 2, relayed
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
    assert lists_commits(made(world, lambda: world.review(number, "mara-osei")), number)
    relayed = made(world, lambda: world.workflow_run(number, event="pull_request_review"))
    assert relayed[0] == "POST /graphql"  # the privileged run's snapshot always lists them
