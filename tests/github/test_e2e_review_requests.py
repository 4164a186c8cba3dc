"""Stewards who could approve are named and asked, idempotently (emulator, PyGithub, git)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.github.test_e2e_approvals import APPROVALS, ok, open_pr
from tests.github.world import World

pytestmark = pytest.mark.slow  # emulator worlds: left out of `make test-fast`

ASK = "/repos/org/data/pulls/{n}/requested_reviewers"


def asked(world: World, number: int) -> list[list[str]]:
    """Every reviewer request the bot made, from the emulator's request log, in order."""
    path = ASK.format(n=number)
    return [[r.method, r.user or ""] for r in world.emu.requests if r.path == path]


def pending(world: World, number: int) -> list[str]:
    pull: dict[str, Any] = world.api(f"/repos/org/data/pulls/{number}")
    return [u["login"] for u in pull["requested_reviewers"]]


def summary(world: World, sha: str) -> str:
    text: str = world.check_runs(sha)[APPROVALS]["output"]["summary"]
    return text


def test_named_asked_once_and_re_asked_on_kfm_request(world: World) -> None:
    # The wells source changes: data ×1 is missing. Stewards with `data`: june-harjo,
    # mara-osei, tomas-reyes; at most 2 per role are asked (the default), author never.
    number, sha = open_pr(world)
    ok(world.workflow_run(number))
    assert pending(world, number) == ["june-harjo", "mara-osei"]
    assert len(asked(world, number)) == 1
    text = summary(world, sha)
    assert text.index("What changed") < text.index("#### Approvals")
    assert (
        "**data**: june-harjo (review requested), mara-osei (review requested), tomas-reyes" in text
    )
    # re-runs ask nobody again: they are still requested
    ok(world.workflow_run(number))
    ok(world.workflow_run(number))
    assert len(asked(world, number)) == 1
    # june comments without approving: GitHub drops her request; she reviewed, so she is not
    # asked again, and tomas is not asked either (two were asked for `data` already)
    ok(world.review(number, "june-harjo", state="COMMENTED", body="Looking."))
    assert pending(world, number) == ["mara-osei"]
    ok(world.workflow_run(number))
    assert len(asked(world, number)) == 1
    # `/kfm request` by the author asks again whoever it may: june (she only commented)
    from kfm_bot.emulator import events

    cid = world.emu.add_comment("org", "data", number, user="alice", body="/kfm request")
    ok(world.run("issue_comment", events.issue_comment(world.emu, "org", "data", cid)))
    assert len(asked(world, number)) == 2
    assert sorted(pending(world, number)) == ["june-harjo", "mara-osei"]
    ok(world.run("issue_comment", events.issue_comment(world.emu, "org", "data", cid, "edited")))
    ok(world.workflow_run(number))
    assert len(asked(world, number)) == 2  # the same command never asks twice
    # once data is given, nobody is missing and nobody is asked
    ok(world.review(number, "mara-osei"))
    assert world.check_runs(sha)[APPROVALS]["conclusion"] == "success"
    ok(world.workflow_run(number))
    assert len(asked(world, number)) == 2
    assert not world.emu.violations


def test_author_and_committers_are_never_named(world: World) -> None:
    number, sha = open_pr(world, author="mara-osei", branch="by-steward")
    ok(world.workflow_run(number))
    assert pending(world, number) == ["june-harjo", "tomas-reyes"]
    assert "mara-osei" not in summary(world, sha).split("Who can give")[1]
