"""CSV and TSV fixtures: coordinate columns found by their header and by their values' shape.

A cell is a coordinate when its column's header names one (`lat`, `site_lon`, `x`), or,
whatever the header, when it is among the numbers of its row that have the shape of a
position (`precision.position_members`). Any other
cell may still hold a position written as text or a WKT geometry.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from kfm_bot.gates.c_sensitivity.fixture_formats import Uninspectable
from kfm_bot.gates.c_sensitivity.fixture_formats.names import is_coordinate_name
from kfm_bot.gates.c_sensitivity.fixture_formats.values import judge_value
from kfm_bot.gates.c_sensitivity.precision import (
    Tally,
    maybe_precise,
    number_places,
    position_members,
)

CANDIDATE_DELIMITERS = ",;\t|"
Record = tuple[int, list[str]]  # first line of the record, its cells


def _delimiter(text: str, tab: bool) -> str:
    """Tab for TSV; for CSV the candidate most frequent in the first line (`;` in many locales)."""
    if tab:
        return "\t"
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in CANDIDATE_DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _records(text: str, delimiter: str) -> Iterator[Record]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                yield start, cells
            start = reader.line_num + 1
    except csv.Error as exc:
        raise Uninspectable(f"not valid CSV ({exc})", start) from None


def _position_cells(cells: list[str]) -> set[int]:
    """Columns of the row's numbers that have the shape of a position (judged row by row,
    so no other row, with an out-of-range value or a text cell, can hide one)."""
    numbers = [(c, parsed[0]) for c, cell in enumerate(cells) if (parsed := number_places(cell))]
    members = position_members([value for _, value in numbers])
    return {numbers[i][0] for i in members}


def scan(text: str, tally: Tally, tab: bool) -> None:
    """Judge every coordinate cell of a CSV (or, with `tab`, TSV) text."""
    maybe = maybe_precise(tally.limit)
    named: set[int] | None = None
    for line, cells in _records(text, _delimiter(text, tab)):
        if named is None:  # the first record names columns when it can, and is judged too
            named = {i for i, name in enumerate(cells) if is_coordinate_name(name)}
        if maybe.search("\x1f".join(cells)) is None:
            continue  # nothing in this row can be too precise
        shaped = _position_cells(cells)
        for column, cell in enumerate(cells):
            if cell.strip():
                what = f"a value in coordinate column {column + 1}"
                judge_value(cell, column in named or column in shaped, tally, line, 1, what)
