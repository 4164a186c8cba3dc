"""Statements signed and checked: contents, round trip, tampering, wrong/expired/rotated keys."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from kfm_bot.attest.dsse import PAYLOAD_TYPE, check_signature, open_envelope, seal
from kfm_bot.attest.keys import parse_private_key
from kfm_bot.attest.statement import (
    PREDICATE_TYPE,
    STATEMENT_TYPE,
    StatementError,
    build_statement,
    check_against_manifest,
)
from kfm_bot.canonical import json_file_bytes, sha256_digest
from kfm_bot.errors import UsageError
from kfm_bot.models.signing_keys import SigningKeysPolicy, TrustedKey
from tests.attest.keys import entry, new_key, pem, seed_b64

MANIFEST_PATH = "registry/promotions/parcels/2026-03.0123abcd/promotion_manifest.json"
DECISION_ID = "kfm://policy_decision/" + "d" * 64
ART = "sha256:" + "a" * 64


def manifest_bytes(released_at: str = "2026-03-04T05:06:07Z") -> bytes:
    return json_file_bytes(
        {
            "kfm_promotion_manifest_version": "v1",
            "dataset_slug": "parcels",
            "dataset_version_id": "2026-03.0123abcd",
            "spec_hash": "sha256:" + "0123abcd" * 8,
            "released_at": released_at,
            "artifacts": [{"path": "specs/parcels/out.geojson", "digest": ART, "media_type": "x"}],
            "catalogs": [],
            "qa": {"status": "pass", "report_digest": ART},
            "policy": {"policy_label": "public", "decision_id": DECISION_ID},
            "approvals": [
                {
                    "role": "data",
                    "principal": "github:7:mara",
                    "approved_at": "2026-03-04T05:00:00Z",
                }
            ],
        }
    )


DECISION: dict[str, Any] = {
    "decision": "allow",
    "decision_id": DECISION_ID,
    "rules": [
        {"rule": "gate-A", "outcome": "pass", "detail": "identity"},
        {"rule": "gate-B", "outcome": "warn", "detail": "licensing"},
        {"rule": "approvals", "outcome": "pass", "detail": "steward approvals present"},
    ],
}
LINE = b'{"merge_commit":"' + b"c" * 40 + b'","pr_number":12,"seq":3}'


def statement(released_at: str = "2026-03-04T05:06:07Z") -> dict[str, Any]:
    return build_statement(MANIFEST_PATH, manifest_bytes(released_at), DECISION, LINE, 3)


def keys(*entries: dict[str, Any]) -> list[TrustedKey]:
    policy = SigningKeysPolicy.model_validate(
        {"kfm_policy_signing_keys_version": "v1", "keys": list(entries)}
    )
    return policy.keys


def signed(key: Any, key_id: str, released_at: str = "2026-03-04T05:06:07Z") -> bytes:
    return seal(statement(released_at), parse_private_key(seed_b64(key)).signer(key_id))


def test_statement_names_manifest_artifacts_gates_decision_approvals_and_ledger_line() -> None:
    s = statement()
    assert s["_type"] == STATEMENT_TYPE
    assert s["predicateType"] == PREDICATE_TYPE
    assert s["subject"] == [
        {"name": MANIFEST_PATH, "digest": {"sha256": sha256_digest(manifest_bytes())[7:]}},
        {"name": "specs/parcels/out.geojson", "digest": {"sha256": "a" * 64}},
    ]
    p = s["predicate"]
    assert p["gates"] == {
        "decision": "allow",
        "results": [
            {"gate": "A", "name": "identity", "status": "pass"},
            {"gate": "B", "name": "licensing", "status": "warn"},
        ],
    }
    assert p["policy_decision_id"] == DECISION_ID
    assert p["approvals"][0]["principal"] == "github:7:mara"
    assert p["ledger"] == {
        "path": "registry/ledger.jsonl",
        "seq": 3,
        "line_hash": sha256_digest(LINE),
    }
    assert (p["merge_commit"], p["pr_number"]) == ("c" * 40, 12)
    check_against_manifest(s, MANIFEST_PATH, manifest_bytes())


def test_round_trip_is_deterministic_and_verifies() -> None:
    key = new_key()
    data = signed(key, "bot-2026")
    assert data == signed(key, "bot-2026")  # ed25519: same statement and key, same bytes
    envelope = json.loads(data)
    assert envelope["payloadType"] == PAYLOAD_TYPE
    assert envelope["signatures"][0]["keyid"] == "bot-2026"
    opened = open_envelope(data, "s.json")
    verdict = check_signature(opened, keys(entry("bot-2026", key, "2026-01-01T00:00:00Z")), "s")
    assert (verdict.status, verdict.key_id) == ("signed", "bot-2026")


def test_pem_key_signs_like_its_seed() -> None:
    key = new_key()
    a = seal(statement(), parse_private_key(pem(key)).signer("k"))
    b = seal(statement(), parse_private_key(seed_b64(key)).signer("k"))
    assert a == b


@pytest.mark.parametrize(
    "value",
    [
        "not base64!",
        base64.b64encode(b"short").decode(),
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    ],
)
def test_unreadable_key_is_refused_without_echoing_it(value: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_private_key(value)
    assert "KFM_SIGNING_KEY" in caught.value.message
    assert value.strip() not in caught.value.message


def _flip(text: str, index: int) -> str:
    raw = bytearray(base64.b64decode(text))
    raw[index] ^= 0x01
    return base64.b64encode(bytes(raw)).decode()


def test_flipped_byte_in_payload_is_refused() -> None:
    key = new_key()
    envelope = json.loads(signed(key, "k"))
    payload = base64.b64decode(envelope["payload"]).replace(b'"pr_number":12', b'"pr_number":13')
    envelope["payload"] = base64.b64encode(payload).decode()
    opened = open_envelope(json.dumps(envelope).encode(), "s.json")
    with pytest.raises(StatementError, match="signature by key k does not verify"):
        check_signature(opened, keys(entry("k", key, "2026-01-01T00:00:00Z")), "s.json")


def test_flipped_byte_in_signature_is_refused() -> None:
    key = new_key()
    envelope = json.loads(signed(key, "k"))
    envelope["signatures"][0]["sig"] = _flip(envelope["signatures"][0]["sig"], 5)
    opened = open_envelope(json.dumps(envelope).encode(), "s.json")
    with pytest.raises(StatementError, match="does not verify"):
        check_signature(opened, keys(entry("k", key, "2026-01-01T00:00:00Z")), "s.json")


def test_wrong_key_under_a_trusted_id_and_an_unlisted_id_are_refused() -> None:
    trusted, forger = new_key(), new_key()
    listed = keys(entry("k", trusted, "2026-01-01T00:00:00Z"))
    with pytest.raises(StatementError, match="does not verify"):
        check_signature(open_envelope(signed(forger, "k"), "s"), listed, "s")
    with pytest.raises(StatementError, match=r"key other, which policies/signing_keys\.yaml"):
        check_signature(open_envelope(signed(forger, "other"), "s"), listed, "s")


def test_expired_and_not_yet_valid_keys_are_refused() -> None:
    key = new_key()
    expired = keys(entry("k", key, "2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z"))
    with pytest.raises(StatementError, match="until 2026-01-01T00:00:00Z, not at the statement's"):
        check_signature(open_envelope(signed(key, "k"), "s"), expired, "s")
    future = keys(entry("k", key, "2027-01-01T00:00:00Z"))
    with pytest.raises(StatementError, match="expired or not yet valid"):
        check_signature(open_envelope(signed(key, "k"), "s"), future, "s")


def test_rotated_key_old_statements_still_verify_within_their_window() -> None:
    old, new = new_key(), new_key()
    rotated = keys(
        entry("old", old, "2025-01-01T00:00:00Z", "2026-06-01T00:00:00Z"),
        entry("new", new, "2026-06-01T00:00:00Z"),
    )
    before = signed(old, "old", "2026-03-04T05:06:07Z")
    after = signed(new, "new", "2026-07-01T00:00:00Z")
    assert check_signature(open_envelope(before, "a"), rotated, "a").key_id == "old"
    assert check_signature(open_envelope(after, "b"), rotated, "b").key_id == "new"
    # The retired key cannot sign a statement dated after its window.
    late = signed(old, "old", "2026-07-01T00:00:00Z")
    with pytest.raises(StatementError, match="key old is valid from"):
        check_signature(open_envelope(late, "c"), rotated, "c")


def test_unsigned_is_reported_apart_from_invalid() -> None:
    verdict = check_signature(open_envelope(seal(statement(), None), "s"), [], "s")
    assert verdict.status == "unsigned"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"{", "is not a DSSE envelope"),
        (b'{"payload": "e30=", "payloadType": "text/plain", "signatures": []}', "payloadType"),
        (
            b'{"payload": "e30=", "payloadType": "application/vnd.in-toto+json", "signatures": []}',
            "_type",
        ),
    ],
)
def test_malformed_envelopes_are_refused_with_the_reason(data: bytes, reason: str) -> None:
    with pytest.raises(StatementError, match=reason):
        open_envelope(data, "s.json")


def test_statement_of_other_manifest_bytes_is_refused() -> None:
    with pytest.raises(StatementError, match="subject digest differs"):
        check_against_manifest(statement(), MANIFEST_PATH, manifest_bytes("2026-03-04T05:06:08Z"))


def test_policy_windows_and_duplicates_are_schema_errors() -> None:
    key = new_key()
    with pytest.raises(ValueError, match="valid_until must be after"):
        keys(entry("k", key, "2026-01-01T00:00:00Z", "2025-01-01T00:00:00Z"))
    with pytest.raises(ValueError, match="listed once"):
        keys(entry("k", key, "2026-01-01T00:00:00Z"), entry("k", new_key(), "2026-01-01T00:00:00Z"))
