"""A push to the default branch that changes policies/ re-evaluates the open PRs' check runs,
bounded in count, end to end (emulator, real git, `kfm-bot action`, PyGithub)."""

from __future__ import annotations

import pytest

from kfm_bot.app import policy_recheck
from kfm_bot.emulator import events
from tests.github.test_e2e_approvals import edit_wells
from tests.github.world import World
from tests.gitrepo import git

pytestmark = pytest.mark.slow  # emulator worlds: left out of `make test-fast`

APPROVALS = "kfm-bot / approvals"
GATES = "kfm-bot / gates"
ROSTER = "policies/stewards.yaml"


def approved_prs(world: World, count: int) -> dict[int, str]:
    """`count` open PRs, each approved by mara-osei (the data steward): number -> head."""
    heads: dict[int, str] = {}
    for n in range(count):
        sha = world.push(f"feat-{n}", edit_wells(world, f"Clarified {n}."), base="main")
        number = world.emu.open_pull("org", "data", f"feat-{n}", author="alice")
        assert world.review(number, "mara-osei").returncode == 0
        assert world.check_runs(sha)[APPROVALS]["conclusion"] == "success"
        heads[number] = sha
    return heads


def drop_steward(world: World, login: str) -> dict[str, object]:
    """Push to main a roster without `login`; the push event, with the bot's checkout there."""
    text = (world.work / ROSTER).read_text()
    start = text.index(f"  - login: {login}\n")
    end = text.index("  - login:", start + 1)
    before = git(world.work, "rev-parse", "origin/main")
    world.push("main", {ROSTER: text[:start] + text[end:]}, "roster", "ike-lindqvist", base="main")
    git(world.checkout, "pull", "-q", "--ff-only", "origin", "main")
    return events.push(world.emu, "org", "data", "refs/heads/main", before, pusher="ike-lindqvist")


def test_a_policy_change_re_evaluates_open_prs_within_the_bound(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    heads = approved_prs(world, 3)
    monkeypatch.setattr(policy_recheck, "MAX_PER_RUN", 2)
    payload = drop_steward(world, "mara-osei")
    start = len(world.emu.requests)
    done = world.run("push", payload)
    assert done.returncode == 0, done.stdout + done.stderr
    newest, middle, oldest = sorted(heads, reverse=True)
    for number in (newest, middle):  # re-evaluated: the approval's author left the roster
        runs = world.check_runs(heads[number])
        assert runs[APPROVALS]["conclusion"] == "action_required", number
        assert runs[GATES]["conclusion"] == "success"
    assert world.check_runs(heads[oldest])[APPROVALS]["conclusion"] == "success"
    assert (
        f"re-evaluated open pull requests: #{newest}, #{middle}; left for the next run: #{oldest}"
        in done.stdout
    )
    posts = [r for r in world.emu.requests[start:] if r.path.endswith("/check-runs/")]
    assert not [
        r for r in world.emu.requests[start:] if r.method == "POST" and "comments" in r.path
    ]
    assert posts == []  # updates in place (PATCH), never a second run


def test_a_push_that_leaves_policies_alone_re_evaluates_nothing(world: World) -> None:
    heads = approved_prs(world, 1)
    before = git(world.work, "rev-parse", "origin/main")
    readme = "README.md" if (world.work / "README.md").exists() else "notes.txt"
    world.push("main", {readme: "Notes.\n"}, "docs", "ike-lindqvist", base="main")
    git(world.checkout, "pull", "-q", "--ff-only", "origin", "main")
    payload = events.push(
        world.emu, "org", "data", "refs/heads/main", before, pusher="ike-lindqvist"
    )
    start = len(world.emu.requests)
    done = world.run("push", payload)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "re-evaluated" not in done.stdout
    (sha,) = heads.values()
    assert not [r for r in world.emu.requests[start:] if r.path == "/repos/org/data/pulls"]
    assert not [r for r in world.emu.requests[start:] if sha in r.path]
    assert world.check_runs(sha)[APPROVALS]["conclusion"] == "success"


def test_open_prs_gates_are_judged_by_the_new_rules(world: World) -> None:
    ((number, sha),) = approved_prs(world, 1).items()
    assert world.workflow_run(number).returncode == 0
    assert world.check_runs(sha)[GATES]["conclusion"] == "success"
    licences = "policies/licenses.yaml"
    text = (world.work / licences).read_text()
    tightened = text.replace(
        "public: [CC0-1.0, PDDL-1.0, CC-BY-4.0,", "public: [CC0-1.0, PDDL-1.0,"
    )
    assert tightened != text
    before = git(world.work, "rev-parse", "origin/main")
    world.push("main", {licences: tightened}, "no CC-BY in public", "ike-lindqvist", base="main")
    git(world.checkout, "pull", "-q", "--ff-only", "origin", "main")
    payload = events.push(
        world.emu, "org", "data", "refs/heads/main", before, pusher="ike-lindqvist"
    )
    done = world.run("push", payload)
    assert done.returncode == 0, done.stdout + done.stderr
    gates = world.check_runs(sha)[GATES]
    assert gates["conclusion"] == "failure", gates["output"]["summary"]
    assert any(a["title"].startswith("B.") for a in world.annotations(gates["id"]))


def test_a_push_whose_previous_tip_is_unknown_counts_as_a_policy_change(world: World) -> None:
    """A force-push leaves `before` outside the clone: unsure, so every open PR is affected."""
    approved_prs(world, 1)
    before = git(world.work, "rev-parse", "origin/main")
    world.push("main", {"NOTES.md": "Notes.\n"}, "docs", "ike-lindqvist", base="main")
    git(world.checkout, "pull", "-q", "--ff-only", "origin", "main")
    payload = events.push(
        world.emu, "org", "data", "refs/heads/main", before, pusher="ike-lindqvist"
    )
    payload["before"] = "f" * 40
    done = world.run("push", payload)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "re-evaluated open pull requests: #1" in done.stdout
