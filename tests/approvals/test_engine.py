"""The engine on in-memory facts: robustness against odd input from the GitHub side."""

from __future__ import annotations

from collections.abc import Mapping

from kfm_bot.approvals.engine import evaluate_approvals
from kfm_bot.approvals.facts import CommitFacts, Principal, PullFacts, Review
from kfm_bot.approvals.units import UnitChange
from tests.approvals.test_render import AUTHOR, HEAD, POLICIES, STEWARD

UNITS = {"wells": UnitChange("wells", "dataset", frozenset({"dataset_changed"}))}
DIGESTS = {"wells": "sha256:" + "1" * 64}


def _facts(*reviews: Review) -> PullFacts:
    return PullFacts(5, AUTHOR, HEAD, "b" * 40, [CommitFacts(HEAD, AUTHOR, AUTHOR)], reviews)


def _ok(sha: str) -> Mapping[str, str]:
    return DIGESTS


def test_lowercase_review_states_from_webhook_payloads() -> None:
    facts = _facts(Review(1, STEWARD, "approved", "", HEAD, "2026-11-03T10:00:00Z"))
    assert evaluate_approvals(POLICIES, UNITS, DIGESTS, _ok, facts).conclusion == "success"


def test_a_digest_reader_that_fails_makes_the_review_not_count() -> None:
    def broken(sha: str) -> Mapping[str, str]:
        raise RuntimeError("object missing")

    facts = _facts(Review(1, STEWARD, "APPROVED", "", HEAD, "2026-11-03T10:00:00Z"))
    result = evaluate_approvals(POLICIES, UNITS, DIGESTS, broken, facts)
    assert [i.reason for i in result.ignored] == ["commit-unreadable"]


def test_a_unit_without_a_head_digest_cannot_be_approved() -> None:
    facts = _facts(Review(1, STEWARD, "APPROVED", "", HEAD, "2026-11-03T10:00:00Z"))
    result = evaluate_approvals(POLICIES, UNITS, {}, _ok, facts)
    assert result.conclusion == "action_required"


def test_a_review_without_a_commit_never_counts() -> None:
    facts = _facts(Review(1, STEWARD, "APPROVED", "", None, "2026-11-03T10:00:00Z"))
    result = evaluate_approvals(POLICIES, UNITS, DIGESTS, _ok, facts)
    assert [i.reason for i in result.ignored] == ["commit-outside-pr"]


def test_the_digest_of_each_commit_is_read_once() -> None:
    calls: list[str] = []

    def counting(sha: str) -> Mapping[str, str]:
        calls.append(sha)
        return DIGESTS

    other = Principal(12, "someone")
    reviews = [
        Review(i, STEWARD if i % 2 else other, "APPROVED", "", HEAD, "2026-11-03T10:00:00Z")
        for i in range(6)
    ]
    evaluate_approvals(POLICIES, UNITS, DIGESTS, counting, _facts(*reviews))
    assert calls == [HEAD]
