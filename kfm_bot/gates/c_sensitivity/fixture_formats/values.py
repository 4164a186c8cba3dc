"""One text value (a JSON string or key, a CSV cell) judged for coordinates in any form.

A value is a coordinate when its key or column names one (`"lat": "39.17"`): then every
number in it counts. Otherwise it may hold WKT geometries, whose numbers all count, and the
numbers in the rest of the text count when they have the shape of a position
(`"site 4 at -96.61, 39.17"`, or a CSV row written with another delimiter).
"""

from __future__ import annotations

from kfm_bot.gates.c_sensitivity.fixture_formats import wkt
from kfm_bot.gates.c_sensitivity.precision import NUMBER, Tally, number_places, position_members


def judge_value(
    text: str, coordinate: bool, tally: Tally, line: int, column: int, what: str = "a coordinate"
) -> None:
    """Judge `text` at (`line`, `column`); `coordinate`: its key or column names a coordinate."""
    if coordinate:  # every number in it: "39.1712N" and "39.17 (approx.)" are coordinates too
        for number in NUMBER.finditer(text):
            tally.judge_text(number.group(), line, column, what)
        return
    rest = wkt.scan_embedded(text, tally, lambda _index: (line, column)) if "(" in text else text
    parsed = [number_places(n.group()) for n in NUMBER.finditer(rest)]
    numbers = [p for p in parsed if p is not None]
    if len(numbers) >= 2:
        for member in position_members([value for value, _ in numbers]):
            tally.judge(numbers[member][1], line, column, "a coordinate written as text")
