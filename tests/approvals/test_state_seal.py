"""The seal on the carried approvals state: only a block sealed with the key is read back."""

from __future__ import annotations

import pytest

from kfm_bot.approvals.check_run_state import FORGED, parse_state, state_block
from kfm_bot.approvals.state import ApprovalState
from kfm_bot.approvals.state_seal import StateSeal

KEY = b"a-key-of-at-least-sixteen-bytes"
STATE = ApprovalState(pr=7, head_sha="a" * 40, contributors=(12,))


def test_a_sealed_block_reads_back_and_an_edited_one_does_not() -> None:
    seal = StateSeal(KEY)
    block = state_block(STATE, seal)
    assert parse_state(block, 7, seal=seal) == STATE
    edited = state_block(STATE.model_copy(update={"contributors": ()}))  # no seal at all
    resealed = edited[: -len(" -->")] + block[block.index(" hmac-sha256:") :]  # a stolen seal
    for text in (edited, resealed, block.replace("hmac-sha256:", "hmac-sha256:0", 1)):
        notes: list[str] = []
        assert parse_state(text, 7, notes, seal) is None
        assert notes


def test_another_key_does_not_hold() -> None:
    block = state_block(STATE, StateSeal(b"another-key-of-sixteen-bytes!"))
    notes: list[str] = []
    assert parse_state(block, 7, notes, StateSeal(KEY)) is None
    assert notes[0] == FORGED


def test_without_a_seal_any_block_is_read_as_before() -> None:
    assert parse_state(state_block(STATE, StateSeal(KEY)), 7) == STATE
    assert parse_state(state_block(STATE), 7) == STATE


def test_the_key_is_never_shown_and_must_not_be_short() -> None:
    assert "sixteen" not in repr(StateSeal(KEY))
    with pytest.raises(ValueError, match="at least 16 bytes"):
        StateSeal(b"short")
