"""The PR's state record: read only from the roster's bot accounts, merged never downward."""

from __future__ import annotations

from pathlib import Path

import pytest

from kfm_bot.approvals.facts import Comment, Principal
from kfm_bot.approvals.result import ApprovalResult
from kfm_bot.approvals.state import ApprovalState, Cutoff, Hold
from kfm_bot.approvals.state_merge import merge, record_body, worth_keeping
from tests.approvals.prs import (
    AUTHOR,
    JUNE,
    KFM_BOT,
    MARA,
    OUTSIDER,
    PR,
    TOMAS,
    WELLS,
    approve,
    at,
    comment,
)


@pytest.fixture
def pr(tmp_path: Path) -> PR:
    change = PR.open(tmp_path)
    change.edit(WELLS, "joined to the\n  county", "joined to the\n  Kansas county")
    return change


def hold(source: str = "comment:5", at_: str = "2026-11-03T08:00:00Z") -> Hold:
    return Hold(source=source, by_id=JUNE.id, by_login=JUNE.login, reason="permit", at=at_)


def record(pr: PR, by: Principal, state: ApprovalState) -> Comment:
    return comment(by, record_body(state), at(8))


def run(pr: PR, *comments: Comment) -> ApprovalResult:
    return pr.evaluate(approve(MARA, pr.head, at(9)), comments=list(comments))


def test_a_record_by_the_bot_keeps_a_hold_and_a_contributor(pr: PR) -> None:
    state = ApprovalState(pr=pr.number, head_sha=pr.head, holds=(hold(),), contributors=(MARA.id,))
    result = run(pr, record(pr, KFM_BOT, state))
    assert [h.reason for h in result.holds] == ["permit"]
    assert MARA.id in result.state.contributors
    assert result.unit("ks_water_wells") is not None
    assert not result.unit("ks_water_wells").satisfied  # type: ignore[union-attr]
    assert result.record_id is not None and result.record_state == state


@pytest.mark.parametrize(
    "forger",
    [OUTSIDER, AUTHOR, TOMAS, Principal(4410099, "kfm-bot[bot]", "User"), Principal(1, "x", "Bot")],
)
def test_a_record_by_anyone_else_is_ignored_and_said(pr: PR, forger: Principal) -> None:
    state = ApprovalState(pr=pr.number, head_sha=pr.head, holds=(hold(),))
    result = run(pr, record(pr, forger, state))
    assert result.holds == () and result.conclusion == "success"
    assert result.record_id is None
    assert any(f.rule == "approvals.state-record-ignored" for f in result.flags)


def test_a_record_for_another_pr_is_ignored(pr: PR) -> None:
    state = ApprovalState(pr=pr.number + 1, head_sha=pr.head, holds=(hold(),))
    assert run(pr, record(pr, KFM_BOT, state)).holds == ()


def test_merge_only_adds_and_keeps_the_latest_cutoff() -> None:
    sha = "a" * 40
    old = ApprovalState(
        pr=3,
        head_sha=sha,
        holds=(hold("comment:1"),),
        contributors=(5, 7),
        cutoffs=(Cutoff(by_id=5, at="2026-11-03T10:00:00Z"),),
        history=(sha,),
    )
    new = ApprovalState(
        pr=3,
        head_sha="b" * 40,
        holds=(hold("comment:2", "2026-11-03T09:00:00Z"),),
        contributors=(6,),
        cutoffs=(Cutoff(by_id=5, at="2026-11-03T09:00:00Z"),),
        history=("b" * 40,),
    )
    merged = merge(3, "c" * 40, [new, None, old])
    assert merged is not None
    assert [h.source for h in merged.holds] == ["comment:1", "comment:2"]
    assert merged.contributors == (5, 6, 7)
    assert merged.cutoffs == (Cutoff(by_id=5, at="2026-11-03T10:00:00Z"),)
    assert set(merged.history) == {sha, "b" * 40} and merged.head_sha == "c" * 40
    assert merge(4, sha, [old, new]) is None  # another PR's states are never merged in


def test_only_a_state_that_a_push_could_drop_is_worth_a_record() -> None:
    sha = "a" * 40
    assert not worth_keeping(ApprovalState(pr=1, head_sha=sha, contributors=(9,)), 9)
    assert worth_keeping(ApprovalState(pr=1, head_sha=sha, contributors=(9, 4410021)), 9)
    assert worth_keeping(ApprovalState(pr=1, head_sha=sha, holds=(hold(),)), 9)
