"""Ledger segments: the live file holds at most LEDGER_LIVE_LINES lines; older lines are sealed,
unchanged, in `registry/ledger/<first>-<last>.jsonl`, and every reader takes them in order.

Files on disk, read as a repository's working tree would be (`directory_snapshot`): a steward
or an attacker edits them by hand."""

from __future__ import annotations

from pathlib import Path

from kfm_bot.canonical import sha256_digest
from kfm_bot.ledger import segments
from kfm_bot.ledger.chain import Ledger, verify_files
from kfm_bot.repo.layout import (
    LEDGER_LIVE_LINES,
    LEDGER_PATH,
    Kind,
    classify,
    ledger_segment_path,
)
from kfm_bot.repo.snapshot import directory_snapshot

LIMIT = LEDGER_LIVE_LINES
FIRST = ledger_segment_path(1, LIMIT)
SECOND = ledger_segment_path(LIMIT + 1, 2 * LIMIT)


def _fields(n: int) -> dict[str, object]:
    return {
        "event": "promotion",
        "dataset_slug": f"dataset_{n}",
        "dataset_version_id": f"2026-11.{n:08x}",
        "spec_hash": f"sha256:{n:064x}",
        "manifest_digest": "sha256:" + "a" * 64,
        "decision_id": "kfm://policy_decision/" + "b" * 64,
        "pr_number": n,
        "merge_commit": f"{n:040x}",
        "actor": "kfm-bot",
        "recorded_at": "2026-11-02T10:00:00Z",
    }


def _ledger(count: int) -> Ledger:
    ledger = Ledger(())
    for n in range(1, count + 1):
        ledger, _ = ledger.append(_fields(n))
    return ledger


def _tree(tmp_path: Path, files: dict[str, bytes]) -> Path:
    for path, data in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(data)
    return tmp_path


def _verdict(root: Path) -> set[tuple[str, str, int | None]]:
    """(rule, file, line) of every chain and segment finding of the ledger under `root`."""
    parts = segments.files(directory_snapshot(root, "test"))
    found = verify_files([(p.path, p.raw) for p in parts]) + segments.check_names(parts)
    return {(f.rule, f.path or "", f.line) for f in found}


LONG = _ledger(2 * LIMIT + 3)  # two sealed segments and a live file of 3 lines


def test_a_ledger_under_the_limit_is_the_one_file_it_always_was() -> None:
    short = _ledger(LIMIT)
    assert segments.layout(short.lines) == {LEDGER_PATH: short.to_bytes()}
    before = _ledger(LIMIT - 1)
    assert segments.written(before, short) == {LEDGER_PATH: short.to_bytes()}
    assert short.sealed == 0


def test_the_append_past_the_limit_seals_the_live_file_unchanged() -> None:
    full = _ledger(LIMIT)
    grown, entry = full.append(_fields(LIMIT + 1))
    files = segments.written(full, grown)
    assert files == {FIRST: full.to_bytes(), LEDGER_PATH: grown.lines[-1] + b"\n"}
    assert (grown.sealed, entry["seq"]) == (LIMIT, LIMIT + 1)
    assert entry["prev"] == sha256_digest(full.lines[-1])  # one chain across the files
    again, _ = grown.append(_fields(LIMIT + 2))  # the next one only appends
    assert segments.written(grown, again) == {LEDGER_PATH: again.live_bytes()}


def test_layout_is_what_promotions_write_one_by_one() -> None:
    files = segments.layout(LONG.lines)
    assert sorted(files) == sorted([FIRST, SECOND, LEDGER_PATH])
    assert files[LEDGER_PATH] == LONG.live_bytes()
    assert LONG.sealed == 2 * LIMIT


def test_chain_across_segment_boundaries_verifies_and_reads_in_order(tmp_path: Path) -> None:
    root = _tree(tmp_path, segments.layout(LONG.lines))
    assert _verdict(root) == set()
    read = segments.read_ledger(directory_snapshot(root, "test"))
    assert (read.lines, read.sealed) == (LONG.lines, 2 * LIMIT)


def test_an_edited_sealed_line_is_located_in_its_segment(tmp_path: Path) -> None:
    files = segments.layout(LONG.lines)
    lines = files[SECOND].splitlines(keepends=True)
    lines[4] = lines[4].replace(b'"pr_number":', b'"pr_number":9')
    files[SECOND] = b"".join(lines)
    found = _verdict(_tree(tmp_path, files))
    assert ("A.ledger-chain", SECOND, 6) in found  # line 6 there no longer chains to line 5


def test_a_dropped_or_reordered_segment_is_caught(tmp_path: Path) -> None:
    files = segments.layout(LONG.lines)
    dropped = {k: v for k, v in files.items() if k != FIRST}
    found = _verdict(_tree(tmp_path / "dropped", dropped))
    assert ("A.ledger-sequence", SECOND, 1) in found
    assert ("A.ledger-segment", SECOND, None) in found
    swapped = {**files, FIRST: files[SECOND], SECOND: files[FIRST]}  # contents swapped
    found = _verdict(_tree(tmp_path / "swapped", swapped))
    assert ("A.ledger-sequence", FIRST, 1) in found
    assert ("A.ledger-chain", LEDGER_PATH, 1) in found


def test_a_renamed_segment_is_caught_even_when_the_order_holds(tmp_path: Path) -> None:
    files = segments.layout(LONG.lines)
    first = files.pop(FIRST)
    renamed = {**files, ledger_segment_path(1, LIMIT + 1): first}
    found = _verdict(_tree(tmp_path / "renamed", renamed))
    assert found == {("A.ledger-segment", ledger_segment_path(1, LIMIT + 1), None)}
    odd = {**segments.layout(LONG.lines)}
    odd["registry/ledger/first.jsonl"] = odd.pop(FIRST)
    found = _verdict(_tree(tmp_path / "odd", odd))  # sorts last now: out of order, too
    assert ("A.ledger-segment", "registry/ledger/first.jsonl", None) in found
    assert ("A.ledger-sequence", "registry/ledger/first.jsonl", 1) in found


def test_a_truncated_segment_stops_the_check_at_that_file(tmp_path: Path) -> None:
    files = segments.layout(LONG.lines)
    files[FIRST] = files[FIRST][:-1]
    assert ("A.ledger-truncated", FIRST, None) in _verdict(_tree(tmp_path, files))


def test_sealed_segments_are_ledger_files_for_the_gates() -> None:
    assert classify(FIRST).kind is Kind.LEDGER
    assert classify("registry/ledger/anything-else.txt").kind is Kind.LEDGER
    assert classify("registry/ledgers.jsonl").kind is not Kind.LEDGER


def test_findings_at_a_line_of_the_whole_ledger_move_to_the_file_holding_it() -> None:
    from kfm_bot.findings import error

    parts = [segments.LedgerFile(p, b) for p, b in segments.layout(LONG.lines).items()]
    parts.sort(key=lambda p: (p.path == LEDGER_PATH, p.path))
    moved = segments.locate(
        [error("A.ledger-anchor", "x", LEDGER_PATH, n, 1) for n in (1, LIMIT + 2, 2 * LIMIT + 3)],
        parts,
    )
    assert [(f.path, f.line) for f in moved] == [(FIRST, 1), (SECOND, 2), (LEDGER_PATH, 3)]


def test_a_segment_that_is_a_folder_or_empty_is_caught(tmp_path: Path) -> None:
    files = segments.layout(LONG.lines)
    folder = {k: v for k, v in files.items() if k != FIRST}
    root = _tree(tmp_path / "folder", {**folder, FIRST + "/inside.jsonl": files[FIRST]})
    found = _verdict(root)
    assert ("A.ledger-segment", FIRST, None) in found  # a folder where the segment was
    assert ("A.ledger-sequence", SECOND, 1) in found  # its lines are gone from the chain
    empty = _verdict(_tree(tmp_path / "empty", {**files, ledger_segment_path(1, 1): b""}))
    assert ("A.ledger-segment", ledger_segment_path(1, 1), None) in empty
