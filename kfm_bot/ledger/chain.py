"""The append-only audit ledger: canonical JSON lines, each holding the hash of the last."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import cast

from pydantic import ValidationError

from kfm_bot.canonical import canonical_bytes, sha256_digest
from kfm_bot.findings import Finding, error
from kfm_bot.models.common import GENESIS_DIGEST
from kfm_bot.models.ledger import LedgerEntry, LedgerRecord
from kfm_bot.repo.layout import LEDGER_LIVE_LINES, LEDGER_PATH

MAX_LINE = 64 * 1024
# Canonical JSON (RFC 8785) sorts keys, and no ledger key falls between these two: a line's
# dataset and version read without parsing the line. Values with an escape (or a line of another
# shape) do not match: such a line is parsed whole instead.
_KEY = re.compile(rb'"dataset_slug":"([^"\\]*)","dataset_version_id":"([^"\\]*)"')


@dataclass(frozen=True)
class Ledger:
    """Every line of the ledger, in order: those of its sealed segments (the first `sealed`),
    then those of the live file (ledger/segments.py reads and writes the files)."""

    lines: tuple[bytes, ...]  # each line's bytes, without the newline
    sealed: int = 0  # how many of `lines` are in sealed segments
    _parsed: list[LedgerRecord] | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def parse(cls, raw: bytes) -> Ledger:
        if not raw:
            return cls(())
        body = raw[:-1] if raw.endswith(b"\n") else raw
        return cls(tuple(body.split(b"\n")))

    def entries(self) -> list[LedgerRecord]:
        """Every line parsed, once per ledger (callers read them, never change them); `verify`
        (gate A, on every change to the ledger) checked them."""
        if self._parsed is None:
            parsed = [cast("LedgerRecord", json.loads(line)) for line in self.lines]
            object.__setattr__(self, "_parsed", parsed)
        assert self._parsed is not None
        return self._parsed

    @property
    def head_digest(self) -> str:
        return sha256_digest(self.lines[-1]) if self.lines else GENESIS_DIGEST

    def append(self, fields: Mapping[str, object]) -> tuple[Ledger, LedgerRecord]:
        """A new ledger with one more line; `seq` and `prev` are filled in here. When the live
        file already holds LEDGER_LIVE_LINES lines, they are sealed first (the new line starts
        a new live file): a promotion rewrites a bounded file, however long the ledger."""
        entry = {**fields, "seq": len(self.lines) + 1, "prev": self.head_digest}
        LedgerEntry.model_validate(entry)  # raises unless it is a LedgerRecord
        full = len(self.lines) - self.sealed >= LEDGER_LIVE_LINES
        sealed = len(self.lines) if full else self.sealed
        return Ledger((*self.lines, canonical_bytes(entry)), sealed), cast("LedgerRecord", entry)

    def to_bytes(self) -> bytes:
        """Every line, as one file would hold them (the live file is `live_bytes`)."""
        return b"".join(line + b"\n" for line in self.lines)

    def live_bytes(self) -> bytes:
        """The live file `registry/ledger.jsonl`: the lines after the sealed segments."""
        return Ledger(self.lines[self.sealed :]).to_bytes()

    def last(self) -> LedgerRecord | None:
        """The newest entry (only its line is parsed), or None for an empty ledger."""
        if not self.lines:
            return None
        return cast("LedgerRecord", json.loads(self.lines[-1]))

    def keys(self) -> list[tuple[str, str]]:
        """(dataset_slug, dataset_version_id) of every line, in order: one regular expression
        over the bytes, no line parsed whole, so a run reads a 10,000-line ledger in
        milliseconds."""
        found: list[tuple[str, str]] = []
        for line in self.lines:
            match = _KEY.search(line)
            if match is not None:
                found.append((match[1].decode(), match[2].decode()))
            else:
                entry = json.loads(line)
                found.append((str(entry.get("dataset_slug")), str(entry.get("dataset_version_id"))))
        return found

    def entry(self, index: int) -> LedgerRecord:
        """Line `index` (0-based) parsed, alone."""
        return cast("LedgerRecord", json.loads(self.lines[index]))

    def has(self, slug: str, spec_hash: str) -> bool:
        """Whether a line records this dataset at this spec_hash (only lines holding the hash
        are parsed)."""
        needle = json.dumps(spec_hash, ensure_ascii=False).encode()
        for line in self.lines:
            if needle in line:
                entry = json.loads(line)
                if entry.get("dataset_slug") == slug and entry.get("spec_hash") == spec_hash:
                    return True
        return False

    def find(self, slug: str, version: str) -> LedgerRecord | None:
        # Canonical JSON writes the version as this very string: parse only lines holding it.
        needle = json.dumps(version, ensure_ascii=False).encode()
        for line in self.lines:
            if needle in line:
                entry = cast("LedgerRecord", json.loads(line))
                if entry.get("dataset_slug") == slug and entry.get("dataset_version_id") == version:
                    return entry
        return None


def verify(raw: bytes, path: str = LEDGER_PATH) -> list[Finding]:
    """Each break of the chain, named by its line: edited, dropped, reordered or inserted."""
    return verify_files([(path, raw)])


def verify_files(files: list[tuple[str, bytes]]) -> list[Finding]:
    """The chain across the ledger's files in order (sealed segments, then the live file): one
    sequence of lines numbered from 1, each finding located at its file and line there."""
    findings: list[Finding] = []
    prev_line: bytes | None = None
    number = 0
    for path, raw in files:
        if raw and not raw.endswith(b"\n"):  # what follows would be numbered wrong: stop here
            name = "the ledger" if path == LEDGER_PATH else path
            findings.append(
                error(
                    "A.ledger-truncated",
                    f"{name} does not end with a newline: the last "
                    "line was cut or edited by hand; restore it from the default branch",
                    path,
                )
            )
            return findings
        for local, line in enumerate(Ledger.parse(raw).lines, start=1):
            number += 1
            problem = _link(number, line, prev_line)
            if problem is not None:
                findings.append(error(problem[0], problem[1], path, local, 1))
            prev_line = line
    return findings


def _link(number: int, line: bytes, prev_line: bytes | None) -> tuple[str, str] | None:
    """(rule, message) when line `number` is not a well-formed link of the chain."""
    entry, problem = _entry(line)
    if problem or entry is None:
        return "A.ledger-malformed", f"line {number} {problem}"
    if entry["seq"] != number:
        return "A.ledger-sequence", _seq_message(number, entry["seq"])
    expected = GENESIS_DIGEST if prev_line is None else sha256_digest(prev_line)
    if entry["prev"] != expected:
        return (
            "A.ledger-chain",
            f"line {number} does not chain to line {number - 1}: line {number - 1} was "
            "edited, or a line was dropped or inserted there",
        )
    return None


def _entry(line: bytes) -> tuple[LedgerRecord | None, str | None]:
    """The line's entry, validated by `LedgerEntry` (None when it is not one), and its problem."""
    if len(line) > MAX_LINE:
        return None, "is too long to be a ledger entry"
    try:
        data = json.loads(line)
        LedgerEntry.model_validate(data)
    except (ValueError, ValidationError):
        return None, "is not a valid ledger entry (JSON object of the ledger schema)"
    if canonical_bytes(data) != line:
        return data, "is not in canonical form: it was edited by hand"
    return data, None


def _seq_message(number: int, seq: int) -> str:
    if seq > number:
        return f"line {number} has seq {seq}: {seq - number} line(s) before it were dropped"
    return f"line {number} has seq {seq}: lines were reordered or a line was inserted"
