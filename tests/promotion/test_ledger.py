"""The ledger chain: appends are deterministic, and every kind of tampering is named by line."""

from __future__ import annotations

import json

import pytest

from kfm_bot.ledger.chain import Ledger, verify


def _fields(n: int) -> dict[str, object]:
    return {
        "event": "promotion",
        "dataset_slug": f"dataset_{n}",
        "dataset_version_id": f"2026-11.{n:08x}",
        "spec_hash": "sha256:" + f"{n:x}" * 64,
        "manifest_digest": "sha256:" + "a" * 64,
        "decision_id": "kfm://policy_decision/" + "b" * 64,
        "pr_number": n,
        "merge_commit": f"{n:x}" * 40,
        "actor": "kfm-bot",
        "recorded_at": "2026-11-02T10:00:00Z",
    }


def _chain(count: int = 4) -> Ledger:
    ledger = Ledger(())
    for n in range(1, count + 1):
        ledger, _ = ledger.append(_fields(n))
    return ledger


def _rules(raw: bytes) -> list[tuple[str, int | None]]:
    return [(f.rule, f.line) for f in verify(raw)]


def test_valid_chain_verifies_and_is_deterministic() -> None:
    assert verify(_chain().to_bytes()) == []
    assert _chain().to_bytes() == _chain().to_bytes()
    first = json.loads(_chain().lines[0])
    assert first["seq"] == 1 and first["prev"] == "sha256:" + "0" * 64


def test_edited_line_is_named_by_the_next_line() -> None:
    lines = list(_chain().lines)
    entry = json.loads(lines[1])
    entry["pr_number"] = 999
    lines[1] = json.dumps(entry, sort_keys=True, separators=(",", ":")).encode()
    raw = b"\n".join(lines) + b"\n"
    found = verify(raw)
    assert [(f.rule, f.line) for f in found] == [("A.ledger-chain", 3)]
    assert "line 2 was edited" in found[0].message


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda ls: ls[:1] + ls[2:], [("A.ledger-sequence", 2), ("A.ledger-sequence", 3)]),
        (
            lambda ls: [ls[0], ls[2], ls[1], ls[3]],
            [("A.ledger-sequence", 2), ("A.ledger-sequence", 3)],
        ),
        (lambda ls: [ls[0], ls[0], *ls[1:]], [("A.ledger-sequence", 2), ("A.ledger-sequence", 3)]),
    ],
    ids=["dropped", "reordered", "inserted"],
)
def test_dropped_reordered_inserted_lines(mutate, expected) -> None:  # type: ignore[no-untyped-def]
    lines = mutate(list(_chain().lines))
    assert _rules(b"\n".join(lines) + b"\n")[:2] == expected


def test_hand_formatted_line_and_truncation_are_caught() -> None:
    lines = list(_chain().lines)
    lines[0] = json.dumps(json.loads(lines[0]), indent=None).encode()  # spaces after separators
    assert ("A.ledger-malformed", 1) in _rules(b"\n".join(lines) + b"\n")
    assert _rules(_chain().to_bytes()[:-1])[0][0] == "A.ledger-truncated"
    assert _rules(b"not json\n") == [("A.ledger-malformed", 1)]


def test_names_and_lookups_read_without_parsing_agree_with_the_parsed_lines() -> None:
    """`keys` and `has` (what a promotion reads of a long ledger) say what parsing says, also
    for a line the quick reading cannot take (an escaped character, another key order)."""
    ledger = _chain(3)
    odd = json.dumps({**json.loads(ledger.lines[1]), "dataset_version_id": 'v"1'}).encode()
    ledger = Ledger((ledger.lines[0], odd, ledger.lines[2]))
    parsed = [json.loads(line) for line in ledger.lines]
    assert ledger.keys() == [(e["dataset_slug"], e["dataset_version_id"]) for e in parsed]
    assert ledger.keys()[1] == ("dataset_2", 'v"1')
    assert ledger.entry(2) == parsed[2]
    assert ledger.has("dataset_3", parsed[2]["spec_hash"])
    assert not ledger.has("dataset_1", parsed[2]["spec_hash"])
