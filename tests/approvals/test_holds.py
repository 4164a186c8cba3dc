"""Holds: placed by stewards, kept in the check-run state, lifted only by a later unhold."""

from __future__ import annotations

from pathlib import Path

import pytest

from kfm_bot.app.pull_approvals import checkout_approvals
from kfm_bot.approvals.facts import Comment
from kfm_bot.approvals.render import parse_state, render_check
from kfm_bot.approvals.result import ApprovalResult
from kfm_bot.approvals.state import ApprovalState
from tests.approvals.prs import JUNE, MARA, OUTSIDER, PR, TOMAS, WELLS, approve, at, comment


@pytest.fixture
def pr(tmp_path: Path) -> PR:
    change = PR.open(tmp_path)
    change.edit(WELLS, "joined to the\n  county", "joined to the\n  Kansas county")
    return change


def _run(
    pr: PR, comments: list[Comment], previous: ApprovalState | None = None, **kw: object
) -> ApprovalResult:
    reviews = [approve(MARA, pr.head, at(9))]
    return checkout_approvals(pr.repo, pr.facts(reviews, comments, previous=previous, **kw))  # type: ignore[arg-type]


def _carried(result: ApprovalResult) -> ApprovalState | None:
    """The state as the next run reads it back from the posted check run."""
    return parse_state(render_check([result]).text, pr=result.pr)


def test_a_steward_hold_blocks_the_merge(pr: PR) -> None:
    result = _run(pr, [comment(JUNE, "Wait.\n/kfm hold survey permit pending", at(10))])
    assert result.conclusion == "failure"
    assert [(h.by_login, h.reason) for h in result.holds] == [
        ("june-harjo", "survey permit pending")
    ]


def test_deleting_the_hold_comment_does_not_lift_it(pr: PR) -> None:
    held = _run(pr, [comment(JUNE, "/kfm hold survey permit pending", at(10))])
    later = _run(pr, [], previous=_carried(held))
    assert later.conclusion == "failure" and len(later.holds) == 1


def test_editing_the_hold_comment_does_not_lift_it(pr: PR) -> None:
    hold = comment(JUNE, "/kfm hold survey permit pending", at(10))
    held = _run(pr, [hold])
    edited = type(hold)(hold.id, hold.user, "never mind", hold.created_at)
    assert _run(pr, [edited], previous=_carried(held)).conclusion == "failure"


def test_a_later_unhold_by_a_steward_lifts_it(pr: PR) -> None:
    held = _run(pr, [comment(JUNE, "/kfm hold survey permit pending", at(10))])
    lifted = _run(pr, [comment(TOMAS, "/kfm unhold", at(11))], previous=_carried(held))
    assert lifted.conclusion == "success" and lifted.holds == ()
    assert lifted.state.holds == ()


def test_an_unhold_in_the_same_second_lifts_it_by_comment_order(pr: PR) -> None:
    """GitHub stamps whole seconds: within one, the later comment id is the later comment."""
    hold = comment(JUNE, "/kfm hold wait", at(10))
    assert _run(pr, [hold, comment(TOMAS, "/kfm unhold", at(10))]).conclusion == "success"
    early = comment(TOMAS, "/kfm unhold", at(10))
    assert _run(pr, [early, comment(JUNE, "/kfm hold wait", at(10))]).conclusion == "failure"


def test_an_unhold_before_the_hold_does_not_lift_it(pr: PR) -> None:
    comments = [comment(TOMAS, "/kfm unhold", at(9)), comment(JUNE, "/kfm hold wait", at(10))]
    assert _run(pr, comments).conclusion == "failure"


def test_a_non_steward_can_neither_hold_nor_unhold(pr: PR) -> None:
    assert _run(pr, [comment(OUTSIDER, "/kfm hold no", at(10))]).conclusion == "success"
    held = [comment(JUNE, "/kfm hold wait", at(10)), comment(OUTSIDER, "/kfm unhold", at(11))]
    result = _run(pr, held)
    assert result.conclusion == "failure"
    assert "unhold-not-steward" in {i.reason for i in result.ignored}


def test_the_pr_author_cannot_lift_a_stewards_hold(pr: PR) -> None:
    comments = [comment(JUNE, "/kfm hold wait", at(10)), comment(TOMAS, "/kfm unhold", at(11))]
    result = _run(pr, comments, author=TOMAS, committer=TOMAS)
    assert result.conclusion == "failure"
    assert "unhold-author" in {i.reason for i in result.ignored}


def test_a_hold_in_a_code_block_or_lookalike_is_not_a_hold(pr: PR) -> None:
    comments = [
        comment(JUNE, "```\n/kfm hold wait\n```", at(10)),
        comment(JUNE, "> /kfm hold wait", at(10)),
        comment(JUNE, "/kfm һold wait", at(10)),  # Cyrillic һ
    ]
    result = _run(pr, comments)
    assert result.holds == ()
    assert [f.rule for f in result.flags] == ["approvals.command-lookalike"]


def test_a_hold_in_a_review_body_counts(pr: PR) -> None:
    reviews = [approve(MARA, pr.head, at(9)), approve(JUNE, pr.head, at(10), "/kfm hold ask legal")]
    result = checkout_approvals(pr.repo, pr.facts(reviews, []))
    assert result.conclusion == "failure"
    assert result.holds[0].source.startswith("review:")


def test_state_for_another_pr_is_ignored(pr: PR) -> None:
    held = _run(pr, [comment(JUNE, "/kfm hold wait", at(10))])
    other = held.state.model_copy(update={"pr": 99})
    result = _run(pr, [], previous=other)
    assert result.conclusion == "success"
    assert [f.rule for f in result.flags] == ["approvals.state-mismatch"]
