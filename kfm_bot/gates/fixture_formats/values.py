"""One text value (a JSON string, a CSV cell) judged for coordinates in every form it can take.

A value is a coordinate when its key or column names one (`"lat": "39.17"`); any value may
also be a position written as text (`"-96.61, 39.17"`) or hold WKT geometries.
"""

from __future__ import annotations

import re

from kfm_bot.gates.fixture_formats import wkt
from kfm_bot.gates.precision import NUMBER, Tally, number_places, position_members

_N = r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
_SEP = r"(?:\s*[,;]\s*|\s+)"
_PAIR = re.compile(rf"\s*({_N}){_SEP}({_N})(?:{_SEP}({_N}))?(?:{_SEP}({_N}))?\s*")
_MAYBE_WKT = re.compile(r"\(")  # a cheap test before the WKT search: every geometry has one


def judge_value(
    text: str, coordinate: bool, tally: Tally, line: int, column: int, what: str = "a coordinate"
) -> None:
    """Judge `text` at (`line`, `column`); `coordinate`: its key or column names a coordinate."""
    if coordinate:  # every number in it: "39.1712N" and "39.17 (approx.)" are coordinates too
        for number in NUMBER.finditer(text):
            tally.judge_text(number.group(), line, column, what)
        return
    pair = _PAIR.fullmatch(text)
    if pair is not None:
        parsed = [number_places(g) for g in pair.groups() if g is not None]
        numbers = [p for p in parsed if p is not None]
        for member in position_members([value for value, _ in numbers]):
            tally.judge(numbers[member][1], line, column, "a coordinate written as text")
        return
    if _MAYBE_WKT.search(text):
        wkt.scan_embedded(text, tally, lambda _index: (line, column))
