"""The approvals state as an HTML comment in the check-run text, and reading it back safely."""

from __future__ import annotations

import base64
import binascii
import re

from pydantic import ValidationError

from kfm_bot.approvals.state import ApprovalState
from kfm_bot.approvals.state_seal import StateSeal
from kfm_bot.canonical import canonical_bytes

PREFIX = "<!-- kfm-approvals-state: "
SUFFIX = " -->"
MAX_TEXT = 70_000  # GitHub caps check-run text at 65,535 characters
MAX_BLOCK = 40_000  # base64 characters of one state
_BLOCK = re.compile(
    r"<!-- kfm-approvals-state: ([A-Za-z0-9+/=]{1,%d})(?: hmac-sha256:([0-9a-f]{64}))? -->"  # noqa: UP031
    % MAX_BLOCK
)
FORGED = (
    "ignored an approvals state whose seal does not hold (unsigned, edited or forged: "
    "only kfm-bot holds KFM_STATE_KEY)"
)


def _encode(state: ApprovalState) -> str:
    return base64.b64encode(canonical_bytes(state.model_dump(mode="json"))).decode("ascii")


def state_block(state: ApprovalState, seal: StateSeal | None = None) -> str:
    """`<!-- kfm-approvals-state: <base64 of canonical JSON> -->`, shrunk to fit MAX_BLOCK.

    Shrinking drops the oldest commit history first (an approval on a commit it forgets must
    then be renewed); holds and contributors are kept, as they only ever restrict. With a
    `seal`, the block ends with the HMAC of its encoded state.
    """
    history = list(state.history)
    encoded = _encode(state)
    while len(encoded) > MAX_BLOCK and history:
        history = history[: len(history) // 2]
        encoded = _encode(state.model_copy(update={"history": tuple(history)}))
    sealed = f" hmac-sha256:{seal.seal(encoded)}" if seal is not None else ""
    return PREFIX + encoded + sealed + SUFFIX


def parse_state(
    text: str | None,
    pr: int | None = None,
    notes: list[str] | None = None,
    seal: StateSeal | None = None,
) -> ApprovalState | None:
    """The state for PR `pr` (any PR when None) in a check run's text; None when absent or bad.

    Tolerant of garbage: an oversized, undecodable or schema-invalid block is skipped and
    explained in `notes` (when given), never raised. With a `seal`, a block whose seal does
    not hold is skipped and reported the same way; without one, any block is read (and the
    summary says the state can be forged).
    """
    said = notes if notes is not None else []
    if not text:
        return None
    if len(text) > MAX_TEXT:
        said.append("check-run text longer than GitHub allows; only its start was read")
        text = text[:MAX_TEXT]
    for match in _BLOCK.finditer(text):
        if seal is not None and not seal.holds(match.group(1), match.group(2)):
            said.append(FORGED)
            continue
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
