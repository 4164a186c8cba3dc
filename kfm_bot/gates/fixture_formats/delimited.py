"""CSV and TSV fixtures: coordinate columns found by their header and by their values' shape.

A column is a coordinate column when its header names one (`lat`, `site_lon`, `x`), or,
whatever its header, when two or more columns hold only fractional numbers within
longitude range, one of them within latitude range (the shape of lon/lat pairs). Any
other cell may still hold a position written as text or a WKT geometry.
"""

from __future__ import annotations

import csv
import io

from kfm_bot.gates.fixture_formats import Uninspectable
from kfm_bot.gates.fixture_formats.names import is_coordinate_name
from kfm_bot.gates.fixture_formats.values import judge_value
from kfm_bot.gates.precision import Tally, number_places

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


def _records(text: str, delimiter: str) -> list[Record]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[Record] = []
    start = 1
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                records.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise Uninspectable(f"not valid CSV ({exc})", start) from None
    return records


def _shaped_columns(rows: list[Record]) -> set[int]:
    """Columns whose numbers all look like longitudes or latitudes, when they come in pairs.

    Text cells (a header, "NA") are ignored rather than disqualifying the column: one
    non-number must not be enough to hide a column of positions.
    """
    width = max((len(cells) for _, cells in rows), default=0)
    shaped: dict[int, bool] = {}  # column -> every number within latitude range
    for column in range(width):
        parsed = (number_places(cells[column]) for _, cells in rows if column < len(cells))
        numbers = [p for p in parsed if p is not None]
        if not numbers or not any(places for _, places in numbers):
            continue
        if all(abs(value) <= 180 for value, _ in numbers):
            shaped[column] = all(abs(value) <= 90 for value, _ in numbers)
    return set(shaped) if len(shaped) >= 2 and any(shaped.values()) else set()


def scan(text: str, tally: Tally, tab: bool) -> None:
    """Judge every coordinate cell of a CSV (or, with `tab`, TSV) text."""
    records = _records(text, _delimiter(text, tab))
    if not records:
        return
    # The first record names columns when it can, and is judged like any other: a precise
    # row placed first must not pass as a header.
    named = {i for i, name in enumerate(records[0][1]) if is_coordinate_name(name)}
    columns = named | _shaped_columns(records)
    for line, cells in records:
        for column, cell in enumerate(cells):
            if cell.strip():
                what = f"a value in coordinate column {column + 1}"
                judge_value(cell, column in columns, tally, line, 1, what)
