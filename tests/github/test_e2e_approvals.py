"""Steward approvals end to end: emulator, real git pushes, `kfm-bot action`, PyGithub."""

from __future__ import annotations

from typing import Any

import pytest

from tests.github.world import World, as_user
from tests.gitrepo import git

pytestmark = pytest.mark.slow  # over a second a test: left out of `make test-fast`

WELLS = "registry/sources/kgs-water-wells.yaml"  # used by ks_water_wells only: needs data ×1
APPROVALS = "kfm-bot / approvals"
GATES = "kfm-bot / gates"


def edit_wells(world: World, words: str) -> dict[str, str | None]:
    text = (world.work / WELLS).read_text()
    marker = "policy_label: public"
    assert marker in text
    return {
        WELLS: text.replace(marker, f"{marker}\n  notes: {words}", 1)
        if "  notes:" not in text
        else text.replace("  notes: ", f"  notes: {words} ", 1)
    }


def open_pr(
    world: World, branch: str = "feat", author: str = "alice", **push: Any
) -> tuple[int, str]:
    sha = world.push(branch, edit_wells(world, "Clarified."), author=author, **push)
    return world.emu.open_pull("org", "data", branch, author=author), sha


def approvals(world: World, sha: str) -> dict[str, Any]:
    run: dict[str, Any] = world.check_runs(sha)[APPROVALS]
    return run


def ok(done: Any) -> None:
    assert done.returncode in (0, 1), done.stderr
    assert "Traceback" not in done.stderr


def test_steward_approval_turns_green_and_author_never_counts(world: World) -> None:
    number, sha = open_pr(world)
    ok(world.review(number, "alice"))  # the PR author approving their own PR
    run = approvals(world, sha)
    assert run["conclusion"] == "action_required"
    assert "alice" in run["output"]["summary"]
    ok(world.review(number, "bob"))  # not a steward
    assert approvals(world, sha)["conclusion"] == "action_required"
    ok(world.review(number, "mara-osei"))
    run = approvals(world, sha)
    assert run["conclusion"] == "success", run["output"]["summary"]
    assert "mara-osei" in run["output"]["summary"]
    assert len([r for r in world.check_runs(sha) if r == APPROVALS]) == 1


def test_stale_after_change_valid_after_no_op_rebase(world: World) -> None:
    number, first = open_pr(world)
    ok(world.review(number, "mara-osei"))
    assert approvals(world, first)["conclusion"] == "success"
    # main moves on elsewhere; the PR is rebased: the dataset's review digest is unchanged
    trails = "registry/sources/ks-historic-trails-scan.yaml"
    text = (world.work / trails).read_text()
    world.push(
        "main", {trails: text + "# reviewed\n"}, "elsewhere", author="mara-osei", base="main"
    )
    env = as_user("alice")
    git(world.work, "checkout", "-q", "feat", env=env)
    git(world.work, "rebase", "-q", "main", env=env)
    git(world.work, "push", "-q", "--force", "origin", "feat:feat", env=env)
    rebased = git(world.work, "rev-parse", "HEAD", env=env)
    assert rebased != first
    ok(world.workflow_run(number))
    run = approvals(world, rebased)
    assert run["conclusion"] == "success", run["output"]["summary"]
    changed = world.push("feat", edit_wells(world, "Changed again."), "change")
    ok(world.workflow_run(number))
    run = approvals(world, changed)
    assert run["conclusion"] == "action_required", run["output"]["summary"]
    assert "content changed since the reviewed commit" in run["output"]["summary"]


def test_dismissed_review_and_later_changes_requested(world: World) -> None:
    number, sha = open_pr(world)
    ok(world.review(number, "mara-osei"))
    assert approvals(world, sha)["conclusion"] == "success"
    review_id = world.emu.core.state.reviews[-1].id
    world.emu.dismiss_review("org", "data", number, review_id)
    from kfm_bot.emulator import events

    payload = events.pull_request_review(world.emu, "org", "data", number, review_id, "dismissed")
    ok(world.run("pull_request_review", payload))
    assert approvals(world, sha)["conclusion"] == "action_required"
    ok(world.review(number, "tomas-reyes"))
    assert approvals(world, sha)["conclusion"] == "success"
    ok(world.review(number, "tomas-reyes", "CHANGES_REQUESTED", "not yet"))
    assert approvals(world, sha)["conclusion"] == "action_required"


def test_steward_who_committed_and_bot_never_count(world: World) -> None:
    number, sha = open_pr(world, author="alice", committer="mara-osei")
    ok(world.review(number, "mara-osei"))
    assert approvals(world, sha)["conclusion"] == "action_required"
    ok(world.review(number, "kfm-bot[bot]"))
    assert approvals(world, sha)["conclusion"] == "action_required"
    ok(world.review(number, "tomas-reyes"))
    assert approvals(world, sha)["conclusion"] == "success"


def test_hold_is_lifted_only_by_unhold(world: World) -> None:
    from kfm_bot.emulator import events

    number, sha = open_pr(world)
    ok(world.review(number, "mara-osei"))
    cid = world.emu.add_comment(
        "org", "data", number, user="june-harjo", body="/kfm hold check the wells"
    )
    ok(world.run("issue_comment", events.issue_comment(world.emu, "org", "data", cid)))
    assert approvals(world, sha)["conclusion"] == "failure"
    gone = world.emu.delete_comment("org", "data", cid)  # deleting the comment lifts nothing
    ok(
        world.run(
            "issue_comment",
            events.issue_comment(world.emu, "org", "data", cid, "deleted", deleted=gone),
        )
    )
    ok(world.review(number, "tomas-reyes"))  # a later review event keeps the hold
    assert approvals(world, sha)["conclusion"] == "failure"
    cid = world.emu.add_comment("org", "data", number, user="june-harjo", body="/kfm unhold")
    ok(world.run("issue_comment", events.issue_comment(world.emu, "org", "data", cid)))
    assert approvals(world, sha)["conclusion"] == "success"


def test_fork_pr_found_through_the_api(world: World) -> None:
    fork_url = world.emu.fork_repo("org", "data", "alice")
    git(world.work, "remote", "add", "fork", fork_url)
    sha = world.push("fork-feat", edit_wells(world, "From a fork."))
    git(world.work, "push", "-q", "fork", "fork-feat:fork-feat")
    number = world.emu.open_pull("org", "data", "fork-feat", author="alice", head_owner="alice")
    world.emu.submit_review("org", "data", number, user="mara-osei")
    from kfm_bot.emulator import events

    payload = events.workflow_run(world.emu, "org", "data", number, run_id=77)
    assert payload["workflow_run"]["pull_requests"] == []
    ok(world.run("workflow_run", payload))
    runs = world.check_runs(sha)
    assert runs[GATES]["conclusion"] == "success"
    assert runs[APPROVALS]["conclusion"] == "success", runs[APPROVALS]["output"]["summary"]


def test_two_open_prs_sharing_a_head_post_the_worst(world: World) -> None:
    number, sha = open_pr(world)

    git(world.work, "push", "-q", "origin", "feat:feat-copy")
    other = world.emu.open_pull("org", "data", "feat-copy", author="alice")
    world.emu.submit_review("org", "data", number, user="mara-osei")  # only the first is approved
    ok(world.workflow_run(number))
    run = approvals(world, sha)
    assert run["conclusion"] == "action_required", run["output"]["summary"]
    assert f"#{other}" in run["output"]["summary"] and f"#{number}" in run["output"]["summary"]


def test_commands_in_quotes_fences_and_lookalikes_do_nothing(world: World) -> None:
    number, sha = open_pr(world)
    ok(world.review(number, "mara-osei", body="> /kfm revoke\n\n```\n/kfm revoke\n```\n"))
    assert approvals(world, sha)["conclusion"] == "success"
    ok(world.review(number, "tomas-reyes", "COMMENTED", body="/kfm rev\u043eke"))  # Cyrillic o
    run = approvals(world, sha)
    assert run["conclusion"] == "success"
    assert "approvals.command-lookalike" in run["output"]["summary"]


def test_renamed_login_and_review_outside_the_pr_never_count(world: World) -> None:
    number, sha = open_pr(world)
    outside = git(world.work, "rev-parse", "origin/main")
    ok(world.review(number, "mara-osei", commit_id=outside))  # a commit not in the PR
    assert approvals(world, sha)["conclusion"] == "action_required"
    user = world.emu.core.find_user("tomas-reyes")
    assert user is not None
    user.id = 9990001  # the login re-registered by someone else: the roster's id no longer matches
    ok(world.review(number, "tomas-reyes"))
    run = approvals(world, sha)
    assert run["conclusion"] == "action_required", run["output"]["summary"]


def test_steward_added_to_the_roster_in_the_same_pr_never_counts(world: World) -> None:
    stewards = (world.work / "policies" / "stewards.yaml").read_text()
    bob = "stewards:\n  - login: bob\n    id: 5550002\n    roles: [data, policy]\n"
    files = {
        **edit_wells(world, "With bob."),
        "policies/stewards.yaml": stewards.replace("stewards:\n", bob, 1),
    }
    sha = world.push("roster", files, "add bob", base="main")
    number = world.emu.open_pull("org", "data", "roster", author="alice")
    ok(world.review(number, "bob"))
    run = approvals(world, sha)
    assert run["conclusion"] == "action_required"
    assert "policies" in run["output"]["summary"]  # a policy change needs the policy stewards
    ok(world.review(number, "mara-osei"))
    ok(world.review(number, "ike-lindqvist"))
    assert approvals(world, sha)["conclusion"] == "success", approvals(world, sha)["output"][
        "summary"
    ]


def test_a_lowered_label_needs_a_sensitivity_steward(world: World) -> None:
    sites = "registry/sources/kshs-archaeological-sites.yaml"
    text = (world.work / sites).read_text()
    assert "policy_label: restricted" in text
    lowered = {sites: text.replace("policy_label: restricted", "policy_label: internal", 1)}
    sha = world.push("lower", lowered, "lower the sites label", base="main")
    number = world.emu.open_pull("org", "data", "lower", author="alice")
    ok(world.review(number, "mara-osei"))  # a data steward, without the sensitivity role
    run = approvals(world, sha)
    assert run["conclusion"] == "action_required", run["output"]["summary"]
    assert "label_lowered" in run["output"]["summary"]
    assert "sensitivity" in run["output"]["summary"]
    ok(world.review(number, "noor-haddad"))  # the sensitivity steward
    run = approvals(world, sha)
    assert run["conclusion"] == "success", run["output"]["summary"]
