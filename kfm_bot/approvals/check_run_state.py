"""The approvals state as an HTML comment in the check-run text, and reading it back safely."""

from __future__ import annotations

import base64
import binascii
import re

from pydantic import ValidationError

from kfm_bot.approvals.state import ApprovalState
from kfm_bot.canonical import canonical_bytes

PREFIX = "<!-- kfm-approvals-state: "
SUFFIX = " -->"
MAX_TEXT = 70_000  # GitHub caps check-run text at 65,535 characters
MAX_BLOCK = 40_000  # base64 characters of one state
_BLOCK = re.compile(r"<!-- kfm-approvals-state: ([A-Za-z0-9+/=]{1,%d}) -->" % MAX_BLOCK)  # noqa: UP031


def _encode(state: ApprovalState) -> str:
    return base64.b64encode(canonical_bytes(state.model_dump(mode="json"))).decode("ascii")


def state_block(state: ApprovalState) -> str:
    """`<!-- kfm-approvals-state: <base64 of canonical JSON> -->`, shrunk to fit MAX_BLOCK.

    Shrinking drops the oldest commit history first (an approval on a commit it forgets must
    then be renewed); holds and contributors are kept, as they only ever restrict.
    """
    history = list(state.history)
    encoded = _encode(state)
    while len(encoded) > MAX_BLOCK and history:
        history = history[: len(history) // 2]
        encoded = _encode(state.model_copy(update={"history": tuple(history)}))
    return PREFIX + encoded + SUFFIX


def parse_state(
    text: str | None, pr: int | None = None, notes: list[str] | None = None
) -> ApprovalState | None:
    """The state for PR `pr` (any PR when None) in a check run's text; None when absent or bad.

    Tolerant of garbage: an oversized, undecodable or schema-invalid block is skipped and
    explained in `notes` (when given), never raised.
    """
    said = notes if notes is not None else []
    if not text:
        return None
    if len(text) > MAX_TEXT:
        said.append("check-run text longer than GitHub allows; only its start was read")
        text = text[:MAX_TEXT]
    for match in _BLOCK.finditer(text):
        state = _decode(match.group(1), said)
        if state is not None and (pr is None or state.pr == pr):
            return state
    if PREFIX in text:
        said.append("no usable approvals state" + (f" for PR #{pr}" if pr else ""))
    return None


def _decode(encoded: str, notes: list[str]) -> ApprovalState | None:
    try:
        raw = base64.b64decode(encoded, validate=True)
        return ApprovalState.model_validate_json(raw)
    except (binascii.Error, ValueError, ValidationError) as exc:
        notes.append(f"ignored an approvals state block that is not valid ({type(exc).__name__})")
        return None
