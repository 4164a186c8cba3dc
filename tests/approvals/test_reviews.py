"""Review states and commands: dismissed, later changes requested, revoke, narrowing, code."""

from __future__ import annotations

from pathlib import Path

import pytest

from kfm_bot.approvals.result import ApprovalResult
from tests.approvals.prs import COUNTIES, JUNE, MARA, PR, WELLS, approve, at, comment, review


@pytest.fixture
def pr(tmp_path: Path) -> PR:
    change = PR.open(tmp_path)
    change.edit(WELLS, "joined to the\n  county", "joined to the\n  Kansas county")
    change.edit(COUNTIES, "title: ", "title: The ")
    return change


def _reasons(result: ApprovalResult) -> list[tuple[str, str | None]]:
    return sorted((i.reason, i.unit) for i in result.ignored)


def test_a_dismissed_review_does_not_count(pr: PR) -> None:
    result = pr.evaluate(review(MARA, "DISMISSED", pr.head, at(10)))
    assert _reasons(result) == [("dismissed", None)]
    assert result.conclusion == "action_required"


def test_a_later_changes_requested_cancels_the_approval(pr: PR) -> None:
    result = pr.evaluate(
        approve(MARA, pr.head, at(10)), review(MARA, "CHANGES_REQUESTED", pr.head, at(11))
    )
    assert _reasons(result) == [("superseded", None)]
    assert result.conclusion == "action_required"


def test_an_approval_after_the_changes_request_counts_again(pr: PR) -> None:
    result = pr.evaluate(
        approve(MARA, pr.head, at(10)),
        review(MARA, "CHANGES_REQUESTED", pr.head, at(11)),
        approve(MARA, pr.head, at(12)),
    )
    assert result.conclusion == "success"
    assert result.unit("ks_water_wells").approvals[0].approved_at == at(12)  # type: ignore[union-attr]


def test_changes_requested_by_someone_else_does_not_cancel(pr: PR) -> None:
    result = pr.evaluate(
        approve(MARA, pr.head, at(10)), review(JUNE, "CHANGES_REQUESTED", pr.head, at(11))
    )
    assert result.conclusion == "success"


def test_a_comment_with_revoke_withdraws_earlier_approvals(pr: PR) -> None:
    facts = pr.facts([approve(MARA, pr.head, at(10))], [comment(MARA, "/kfm revoke", at(11))])
    from kfm_bot.app.pull_approvals import checkout_approvals

    result = checkout_approvals(pr.repo, facts)
    assert _reasons(result) == [("superseded", None)]


def test_an_approving_review_that_says_revoke_grants_nothing(pr: PR) -> None:
    result = pr.evaluate(approve(MARA, pr.head, body="Looks fine.\n/kfm revoke"))
    assert _reasons(result) == [("revoked", None)]


def test_approve_command_narrows_to_the_named_datasets(pr: PR) -> None:
    result = pr.evaluate(
        approve(MARA, pr.head, body="Checked wells only.\n/kfm approve ks_water_wells")
    )
    assert result.unit("ks_water_wells").satisfied  # type: ignore[union-attr]
    assert not result.unit("ks_county_boundaries").satisfied  # type: ignore[union-attr]
    assert _reasons(result) == [("narrowed", "ks_county_boundaries")]


def test_a_comment_cannot_approve(pr: PR) -> None:
    from kfm_bot.app.pull_approvals import checkout_approvals

    facts = pr.facts([], [comment(MARA, "/kfm approve ks_water_wells", at(10))])
    assert checkout_approvals(pr.repo, facts).conclusion == "action_required"


def test_a_commented_review_cannot_approve(pr: PR) -> None:
    result = pr.evaluate(review(MARA, "COMMENTED", pr.head, at(10), "/kfm approve ks_water_wells"))
    assert result.conclusion == "action_required"


@pytest.mark.parametrize(
    "body",
    [
        "> /kfm approve ks_water_wells",
        "```\n/kfm approve ks_water_wells\n```",
        "~~~md\n/kfm approve ks_water_wells\n~~~",
        "    /kfm approve ks_water_wells",
        "See: /kfm approve ks_water_wells",
    ],
)
def test_a_command_in_a_quote_or_code_block_is_not_a_command(pr: PR, body: str) -> None:
    result = pr.evaluate(approve(MARA, pr.head, body=body))
    assert result.conclusion == "success"  # not narrowed: the review covers both datasets


@pytest.mark.parametrize(
    "body",
    [
        "／kfm approve ks_water_wells",  # full-width solidus
        "/kfm аpprove ks_water_wells",  # Cyrillic а
        "/kfm appr\u200bove ks_water_wells",  # zero-width space
        "/kfm\u00a0approve ks_water_wells",  # no-break space
        "/kfm revoke\u200b",
        "/kfm approve ks_wаter_wells",  # Cyrillic а in the name
    ],
)
def test_a_lookalike_command_is_flagged_and_the_review_grants_nothing(pr: PR, body: str) -> None:
    result = pr.evaluate(approve(MARA, pr.head, body=body))
    assert _reasons(result) == [("malformed-command", None)]
    assert result.conclusion == "action_required"
    rules = {f.rule for f in result.flags}
    assert rules & {"approvals.command-lookalike", "approvals.command-invalid"}


def test_approve_without_names_grants_nothing(pr: PR) -> None:
    result = pr.evaluate(approve(MARA, pr.head, body="/kfm approve"))
    assert _reasons(result) == [("malformed-command", None)]


def test_a_deleted_revoke_comment_still_revokes(pr: PR) -> None:
    from kfm_bot.app.pull_approvals import checkout_approvals

    approval = approve(MARA, pr.head, at(10))
    revoked = checkout_approvals(
        pr.repo, pr.facts([approval], [comment(MARA, "/kfm revoke", at(11))])
    )
    assert revoked.conclusion == "action_required"
    later = checkout_approvals(pr.repo, pr.facts([approval], [], previous=revoked.state))
    assert _reasons(later) == [("superseded", None)]


def test_review_times_are_recorded_in_utc_with_z(pr: PR) -> None:
    result = pr.evaluate(approve(MARA, pr.head, "2026-11-03T12:30:00+02:00"))
    assert result.unit("ks_water_wells").approvals[0].approved_at == "2026-11-03T10:30:00Z"  # type: ignore[union-attr]


def test_a_pending_review_never_counts(pr: PR) -> None:
    from kfm_bot.approvals.facts import Review

    result = pr.evaluate(Review(1, MARA, "APPROVED", "", pr.head, None))
    assert result.conclusion == "action_required" and result.ignored == ()
