"""`/kfm request` in the same second as a steward's comment-only review asks that steward
again: GitHub's times have one-second resolution, and a command posted after a review can
carry the review's very second (the flaky e2e case, pinned here without the clock)."""

from __future__ import annotations

from kfm_bot.approvals.facts import Principal, PullFacts, Review
from kfm_bot.approvals.result import UnitResult
from kfm_bot.approvals.review_requests import plan_requests
from kfm_bot.approvals.roster import Roster, when
from kfm_bot.approvals.slash_commands import Command
from kfm_bot.approvals.state import Requested
from kfm_bot.approvals.timeline import Post
from kfm_bot.models.policies import Steward

JUNE = Steward(login="june-harjo", id=101, roles=["data"])
MARA = Steward(login="mara-osei", id=102, roles=["data"])
TOMAS = Steward(login="tomas-reyes", id=103, roles=["data"])
AUTHOR = Principal(7, "alice")
SECOND = "2026-11-30T10:00:05Z"


def plan(review_at: str, command_at: str) -> tuple[str, ...]:
    """Whom the bot asks: june and mara were asked at 10:00:00, june then commented
    (GitHub dropped her request), and alice posted `/kfm request`."""
    facts = PullFacts(
        number=1,
        author=AUTHOR,
        head_sha="a" * 40,
        base_sha="b" * 40,
        reviews=(
            Review(9, Principal(101, "june-harjo"), "COMMENTED", "Looking.", "a" * 40, review_at),
        ),
        requested_reviewers=("mara-osei",),
    )
    command = Post("comment:5", AUTHOR, when(command_at), command_at, (Command("request", 1),), ())
    units = [UnitResult("ks_water_wells", "dataset", (), {"data": 1}, (), {"data": 1})]
    roster = Roster(by_id={s.id: s for s in (JUNE, MARA, TOMAS)})
    asked_at = "2026-11-30T10:00:00Z"
    carried = {s.id: Requested(by_id=s.id, login=s.login, at=asked_at) for s in (JUNE, MARA)}
    return plan_requests(units, roster, frozenset({7}), facts, [command], carried, 2).to_request


def test_a_request_after_the_review_asks_the_steward_again() -> None:
    assert plan("2026-11-30T10:00:04Z", SECOND) == ("june-harjo",)


def test_a_request_in_the_same_second_as_the_review_asks_the_steward_again() -> None:
    assert plan(SECOND, SECOND) == ("june-harjo",)  # not tomas, who was never asked


def test_a_review_after_the_request_is_an_answer() -> None:
    assert plan("2026-11-30T10:00:06Z", SECOND) == ("tomas-reyes",)
