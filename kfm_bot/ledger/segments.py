"""The ledger's files: sealed segments `registry/ledger/<first>-<last>.jsonl`, then the live file.

Appending a line to one growing file makes every promotion write, hash, compress and push the
whole ledger again (10,000 lines: 5 MB each time). So the live file `registry/ledger.jsonl`
holds at most LEDGER_LIVE_LINES lines: the promotion that would exceed it moves the live file,
unchanged, to an immutable segment named by the seq of its first and last line, and starts a new
live file with its own line (whose `prev` is the hash of the segment's last line: one chain
across the files). A ledger shorter than the limit is the one file it always was.

Readers take the files in order (segments by name, then the live file) as one sequence of
lines; gate A refuses any pull request touching either (`A.promotion-edited`), and `ledger
verify` / `check --all` check the chain across the files and each segment's name against the
lines it holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from kfm_bot.findings import Finding, error
from kfm_bot.ledger.chain import Ledger
from kfm_bot.repo.layout import (
    LEDGER_LIVE_LINES,
    LEDGER_PATH,
    LEDGER_SEGMENTS_DIR,
    ledger_segment_path,
)
from kfm_bot.repo.snapshot import Snapshot, children

SEGMENT_RULE = "A.ledger-segment"
_NAME = re.compile(r"^([0-9]{8})-([0-9]{8})\.jsonl$")


@dataclass(frozen=True)
class LedgerFile:
    path: str
    raw: bytes
    regular: bool = True  # False: a folder, link or submodule where a segment should be

    @cached_property
    def lines(self) -> tuple[bytes, ...]:
        """The file's lines, split once however many checks count or read them."""
        return Ledger.parse(self.raw).lines


def files(snapshot: Snapshot) -> list[LedgerFile]:
    """Sealed segments sorted by name, then the live file (when present)."""
    found: list[LedgerFile] = []
    for name, is_folder in sorted(children(snapshot, LEDGER_SEGMENTS_DIR).items()):
        path = f"{LEDGER_SEGMENTS_DIR}/{name}"
        entry = None if is_folder else snapshot.entry(path)
        if entry is None or not entry.is_regular:
            found.append(LedgerFile(path, b"", regular=False))
        else:
            found.append(LedgerFile(path, snapshot.read(path)))
    live = snapshot.entry(LEDGER_PATH)
    if live is not None and live.is_regular:
        found.append(LedgerFile(LEDGER_PATH, snapshot.read(LEDGER_PATH)))
    return found


def read_ledger(snapshot: Snapshot) -> Ledger:
    """The whole ledger of `snapshot`: its segments' lines, then the live file's."""
    return ledger_of(files(snapshot))


def ledger_of(ledger_files: list[LedgerFile]) -> Ledger:
    sealed: list[bytes] = []
    live: tuple[bytes, ...] = ()
    for f in ledger_files:
        if f.path == LEDGER_PATH:
            live = f.lines
        else:
            sealed.extend(f.lines)
    return Ledger((*sealed, *live), len(sealed))


def written(before: Ledger, after: Ledger) -> dict[str, bytes]:
    """The files a commit writes to go from `before` to `after` (`after` appended to it): the
    live file, and the segment sealed on the way (the live file of `before`, byte for byte)."""
    out = {LEDGER_PATH: after.live_bytes()}
    if after.sealed > before.sealed:
        sealed = after.lines[before.sealed : after.sealed]
        out[ledger_segment_path(before.sealed + 1, after.sealed)] = Ledger(sealed).to_bytes()
    return out


def layout(lines: tuple[bytes, ...]) -> dict[str, bytes]:
    """Every file of a ledger of these lines as promotions write it, one by one: segments of
    LEDGER_LIVE_LINES lines and the live file (for generators and tests)."""
    size = LEDGER_LIVE_LINES
    sealed = size * ((len(lines) - 1) // size) if lines else 0
    out = {
        ledger_segment_path(first + 1, first + size): Ledger(lines[first : first + size]).to_bytes()
        for first in range(0, sealed, size)
    }
    out[LEDGER_PATH] = Ledger(lines[sealed:]).to_bytes()
    return out


def check_names(ledger_files: list[LedgerFile]) -> list[Finding]:
    """Each segment is a regular file named by the seq of the first and last line it holds
    (counted across the files in order): a renamed, dropped, split or merged segment shows."""
    findings: list[Finding] = []
    for first, last, f in _spans(ledger_files):
        if f.path == LEDGER_PATH:
            continue
        if not f.regular:
            findings.append(_segment(f.path, "is not a regular file; restore it"))
            continue
        count = last - first + 1
        match = _NAME.match(f.path.rsplit("/", 1)[-1])
        if count == 0:
            findings.append(_segment(f.path, "is empty: a sealed segment holds lines"))
        elif match is None:
            findings.append(
                _segment(
                    f.path,
                    f"holds lines {first}-{last} but is not named like {_expect(first, last)}",
                )
            )
        elif (int(match[1]), int(match[2])) != (first, last):
            findings.append(
                _segment(
                    f.path,
                    f"holds lines {first}-{last} of the ledger but is named for lines "
                    f"{int(match[1])}-{int(match[2])}: a sealed segment was renamed, dropped or "
                    "edited",
                )
            )
    return findings


def _spans(ledger_files: list[LedgerFile]) -> Iterator[tuple[int, int, LedgerFile]]:
    """(first, last, file): the seq of the first and last line each file holds, counted across
    the files in order (last = first - 1 for a file without lines)."""
    start = 1
    for f in ledger_files:
        yield start, start + len(f.lines) - 1, f
        start += len(f.lines)


def _expect(first: int, last: int) -> str:
    return ledger_segment_path(first, last).rsplit("/", 1)[-1]


def _segment(path: str, what: str) -> Finding:
    return error(
        SEGMENT_RULE, f"{path} {what}; restore {LEDGER_SEGMENTS_DIR}/ from the default branch", path
    )


def locate(findings: list[Finding], ledger_files: list[LedgerFile]) -> list[Finding]:
    """Findings placed at (LEDGER_PATH, line n of the whole ledger) moved to the file that holds
    line n and its line there (a repository without segments: unchanged)."""
    spans = [(first, last, part.path) for first, last, part in _spans(ledger_files)]
    if all(path == LEDGER_PATH for _, _, path in spans):
        return findings
    out: list[Finding] = []
    for f in findings:
        target = None
        if f.path == LEDGER_PATH and f.line is not None:
            target = next(((p, f.line - a + 1) for a, b, p in spans if a <= f.line <= b), None)
        if target is None:
            out.append(f)
        else:
            out.append(Finding(f.rule, f.severity, f.message, target[0], target[1], f.column))
    return out
