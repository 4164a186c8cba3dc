"""The check-run output: escaped Markdown within GitHub's limits, and the state read back."""

from __future__ import annotations

import base64

from hypothesis import given
from hypothesis import strategies as st

from kfm_bot.approvals.check_run_state import PREFIX, SUFFIX, state_block
from kfm_bot.approvals.engine import evaluate_approvals
from kfm_bot.approvals.facts import Comment, CommitFacts, Principal, PullFacts, Review
from kfm_bot.approvals.render import parse_state, render_check
from kfm_bot.approvals.render_parts import mask_precise
from kfm_bot.approvals.result import ApprovalResult
from kfm_bot.approvals.state import ApprovalState, Hold
from kfm_bot.approvals.units import UnitChange
from kfm_bot.github.protect import redact
from kfm_bot.models.policies import ApprovalsPolicy, StewardsPolicy
from kfm_bot.policy.policyset import PolicySet

HEAD = "a" * 40
AUTHOR = Principal(7, "casey")
STEWARD = Principal(11, "mara-osei")
POLICIES = PolicySet(
    labels=None,
    licenses=None,
    stewards=StewardsPolicy.model_validate(
        {
            "kfm_policy_stewards_version": "v1",
            "stewards": [{"login": "mara-osei", "id": 11, "roles": ["data", "sensitivity"]}],
        }
    ),
    approvals=ApprovalsPolicy.model_validate(
        {
            "kfm_policy_approvals_version": "v1",
            "default": {"roles": {"data": 1}},
            "classes": {"dataset_changed": {"roles": {"data": 1}}},
        }
    ),
    source="base",
)


def _result(reviews: list[Review], comments: list[Comment], units: int = 1) -> ApprovalResult:
    names = {
        f"dataset_{i:03d}": UnitChange(
            f"dataset_{i:03d}", "dataset", frozenset({"dataset_changed"})
        )
        for i in range(units)
    }
    digests = dict.fromkeys(names, "sha256:" + "1" * 64)
    facts = PullFacts(
        5, AUTHOR, HEAD, "b" * 40, [CommitFacts(HEAD, AUTHOR, AUTHOR)], reviews, comments
    )
    return evaluate_approvals(POLICIES, names, digests, lambda sha: digests, facts)


def test_summary_lists_who_approved_and_what_is_missing() -> None:
    ok = _result([Review(1, STEWARD, "APPROVED", "", HEAD, "2026-11-03T10:00:00Z")], [])
    out = render_check([ok])
    assert out.conclusion == "success" and out.title == "Steward approvals complete"
    assert "data: mara-osei (2026-11-03T10:00:00Z)" in out.summary
    missing = render_check([_result([], [])])
    assert missing.conclusion == "action_required" and "data ×1" in missing.summary


def test_pr_strings_are_escaped_and_never_mention_anyone() -> None:
    reason = "@everyone <script>alert(1)</script> | `x` at 38.123456, -97.654321"
    hold = Comment(2, STEWARD, "/kfm hold " + reason, "2026-11-03T10:00:00Z")
    weird = Review(3, Principal(12, "@octocat"), "APPROVED", "", HEAD, "2026-11-03T10:00:00Z")
    out = render_check([_result([weird], [hold])], protected={"38.123456", "97.654321"})
    assert out.conclusion == "failure"
    for text in (out.summary, out.title):
        assert "<script>" not in text and "@everyone" not in text and "@octocat" not in text
        assert "38.123456" not in text and "97.654321" not in text
    assert "[redacted]" in out.summary
    carried = base64.b64decode(out.text.split(PREFIX)[1].split(SUFFIX)[0]).decode()
    assert "38.123456" not in carried and "97.654321" not in carried


def test_output_stays_within_githubs_limit() -> None:
    reviews = [
        Review(i, Principal(100 + i, f"user{i}"), "APPROVED", "", HEAD, "2026-11-03T10:00:00Z")
        for i in range(300)
    ]
    out = render_check([_result(reviews, [], units=80)] * 3)
    assert len(out.summary) <= 65_535 and len(out.text) <= 65_535
    assert "more" in out.summary


def test_the_state_round_trips_through_the_text() -> None:
    result = _result([], [Comment(2, STEWARD, "/kfm hold wait", "2026-11-03T10:00:00Z")])
    text = render_check([result]).text
    assert parse_state(text, pr=5) == result.state
    assert parse_state(text, pr=6) is None
    assert result.state.holds[0].reason == "wait"


def test_two_prs_on_one_head_keep_both_states() -> None:
    first = _result([], [])
    second_state = first.state.model_copy(update={"pr": 6})
    text = "\n".join([state_block(first.state), state_block(second_state)])
    assert parse_state(text, pr=6) == second_state
    assert parse_state(text, pr=5) == first.state


def _block(raw: bytes) -> str:
    return PREFIX + base64.b64encode(raw).decode() + SUFFIX


def test_garbage_states_are_ignored_with_a_note() -> None:
    good = ApprovalState(pr=5, head_sha=HEAD)
    cases = [
        PREFIX + "!!!" + SUFFIX,
        _block(b"not json"),
        _block(b'{"pr": 5}'),
        _block(b'{"pr": 5, "head_sha": "zz", "kfm_approvals_state_version": 1}'),
        _block(good.model_dump_json().replace('"pr":5', '"pr":5,"extra":1').encode()),
        _block(b'{"pr": "5", "head_sha": "' + HEAD.encode() + b'"}'),
    ]
    for text in cases:
        notes: list[str] = []
        assert parse_state(text, pr=5, notes=notes) is None
        assert notes
    assert parse_state(None) is None and parse_state("no block here") is None


def test_an_oversized_state_block_is_not_read() -> None:
    text = PREFIX + "A" * 100_000 + SUFFIX
    notes: list[str] = []
    assert parse_state(text, notes=notes) is None and notes


def test_a_large_state_is_shrunk_to_fit() -> None:
    holds = tuple(
        Hold(
            source=f"comment:{i}",
            by_id=1,
            by_login="x",
            reason="é" * 200,
            at="2026-11-03T10:00:00Z",
        )
        for i in range(20)
    )
    big = ApprovalState(
        pr=5,
        head_sha=HEAD,
        holds=holds,
        history=tuple(f"{i:040x}" for i in range(200)),
        contributors=tuple(range(1, 201)),
    )
    block = state_block(big)
    assert len(block) <= 41_000
    back = parse_state(block, pr=5)
    assert back is not None and back.holds == holds and back.contributors == big.contributors


@given(st.text(max_size=500))
def test_parse_state_never_raises(text: str) -> None:
    parse_state(text, pr=1, notes=[])
    parse_state(PREFIX + text + SUFFIX, notes=[])


def test_the_summary_masks_every_precise_number_keeping_its_sign() -> None:
    # One pattern (kfm_bot.redaction) for both redactions: the summary keeps a sign that the
    # adapter's self-check removes with the protected value.
    text = "at -38.123456, 97.6543 and 1.123 (1234.56789)"
    assert mask_precise(text) == "at -[redacted], [redacted] and 1.123 (1[redacted])"
    assert redact("at -38.123456", frozenset({"38.123456"})) == ("at [redacted]", 1)
