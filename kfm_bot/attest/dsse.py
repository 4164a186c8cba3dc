"""DSSE envelopes around promotion statements: sealing (signing) and checking.

The envelope format, the pre-authentication encoding (PAE) and the signature calls are
securesystemslib's (`securesystemslib.dsse.Envelope`); this module only decides which keys are
trusted for which statement and words the verdict. An envelope with no signature is a valid
*unsigned* record (promotion without KFM_SIGNING_KEY), reported apart from an invalid one.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from kfm_bot.attest.keys import SIGNING_KEYS_POLICY, in_window, trusted, window_text
from kfm_bot.attest.statement import StatementError, check_shape, released_at
from kfm_bot.canonical import canonical_bytes, json_file_bytes

if TYPE_CHECKING:
    from securesystemslib.dsse import Envelope
    from securesystemslib.signer._crypto_signer import CryptoSigner

    from kfm_bot.models.signing_keys import TrustedKey

PAYLOAD_TYPE = "application/vnd.in-toto+json"
MAX_ENVELOPE_BYTES = 4 * 1024 * 1024  # a statement lists paths and digests: far below this


def seal(statement: dict[str, Any], signer: CryptoSigner | None) -> bytes:
    """The envelope file's bytes: the statement as canonical JSON, signed when a signer is given.
    ed25519 signatures are deterministic, so the same statement and key give the same bytes."""
    from securesystemslib.dsse import Envelope

    envelope = Envelope(canonical_bytes(statement), PAYLOAD_TYPE, {})
    if signer is not None:
        envelope.sign(signer)
    return json_file_bytes(envelope.to_dict())


@dataclass(frozen=True)
class Opened:
    statement: dict[str, Any]
    envelope: Envelope

    @property
    def signed(self) -> bool:
        return bool(self.envelope.signatures)


def open_envelope(data: bytes, where: str) -> Opened:
    """The envelope and its statement, shape-checked; StatementError saying what is wrong."""
    from securesystemslib.dsse import Envelope

    if len(data) > MAX_ENVELOPE_BYTES:
        raise StatementError(f"{where} is larger than {MAX_ENVELOPE_BYTES} bytes")
    try:
        raw = json.loads(data)
        # from_dict rewrites the dict it is given: hand it a copy.
        envelope = Envelope.from_dict(copy.deepcopy(raw))
    except (ValueError, KeyError, TypeError, AttributeError):
        raise StatementError(f"{where} is not a DSSE envelope") from None
    if envelope.payload_type != PAYLOAD_TYPE:
        raise StatementError(f"{where}: payloadType is not {PAYLOAD_TYPE}")
    try:
        statement = json.loads(envelope.payload)
    except ValueError:
        raise StatementError(f"{where}: the payload is not JSON") from None
    try:
        return Opened(check_shape(statement), envelope)
    except StatementError as exc:
        raise StatementError(f"{where}: {exc.message}") from None


@dataclass(frozen=True)
class Verdict:
    status: Literal["signed", "unsigned"]
    key_id: str = ""
    released_at: str = ""


def check_signature(opened: Opened, keys: Sequence[TrustedKey], where: str) -> Verdict:
    """`signed` when one signature verifies with a listed key valid at the statement's
    released_at; `unsigned` when there is no signature; StatementError (invalid) otherwise,
    with the reason: unknown key, bad signature (altered bytes, another key), key out of window."""
    from securesystemslib.exceptions import UnverifiedSignatureError, VerificationError

    when = released_at(opened.statement)
    if not opened.signed:
        return Verdict("unsigned", released_at=when)
    by_id = {k.key_id: k for k in keys}
    problems: list[str] = []
    pae = opened.envelope.pae()
    for signature in opened.envelope.signatures.values():
        key = by_id.get(signature.keyid)
        if key is None:
            problems.append(
                f"it is signed by key {_shown(signature.keyid)}, which {SIGNING_KEYS_POLICY} "
                "does not list"
            )
            continue
        try:
            trusted(key).verify_signature(signature, pae)
        except (UnverifiedSignatureError, VerificationError):
            problems.append(
                f"the signature by key {key.key_id} does not verify: the statement or its "
                "signature was altered, or another key made it"
            )
            continue
        if not in_window(key, when):
            problems.append(
                f"key {key.key_id} is {window_text(key)}, not at the statement's "
                f"released_at {when} (expired or not yet valid)"
            )
            continue
        return Verdict("signed", key.key_id, when)
    raise StatementError(f"{where}: {problems[0]}")


def _shown(key_id: str) -> str:
    """A key id from the envelope (attacker-controlled): printable and short."""
    clean = "".join(c for c in str(key_id) if c.isalnum() or c in "._-:")[:64]
    return clean or "(unnamed)"
