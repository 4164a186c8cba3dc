"""Well-known text geometries (ISO 19125 / EWKT), wherever they appear in a text.

Every number inside a geometry's parentheses is judged, Z and M values included: a
fixture that carries a precise measure next to a coarse position is still refused
(fail closed), and the values are never echoed.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kfm_bot.gates.c_sensitivity.fixture_formats import Uninspectable
from kfm_bot.gates.c_sensitivity.precision import NUMBER, Tally, maybe_precise

GEOMETRY_TYPES = (
    "GEOMETRYCOLLECTION|MULTIPOLYGON|MULTILINESTRING|MULTIPOINT|MULTISURFACE|MULTICURVE|"
    "POLYHEDRALSURFACE|CURVEPOLYGON|COMPOUNDCURVE|CIRCULARSTRING|LINESTRING|POLYGON|"
    "TRIANGLE|POINT|TIN"
)
# `SRID=4326;POINT Z (...)`, `pointz(...)`, `MultiPoint M ((...))`: the parenthesis opens the body.
_HEAD = re.compile(
    rf"(?:\bSRID\s*=\s*[0-9]+\s*;\s*)?\b(?:{GEOMETRY_TYPES})\s*(?:ZM|Z|M)?\s*(\()", re.IGNORECASE
)
_SEPARATOR = re.compile(r"[\s;,]*")
_PAREN = re.compile(r"[()]")
WHAT = "a WKT coordinate"

Locate = Callable[[int], tuple[int, int]]


def _body_end(text: str, open_at: int) -> int:
    """Index just after the parenthesis that closes the one at `open_at` (or the text's end)."""
    depth = 0
    for paren in _PAREN.finditer(text, open_at):
        depth += 1 if paren.group() == "(" else -1
        if depth == 0:
            return paren.end()
    return len(text)  # unbalanced: judge everything after the head (fail closed)


def _judge_body(text: str, start: int, end: int, tally: Tally, locate: Locate) -> None:
    if maybe_precise(tally.limit).search(text, start, end) is None:
        return  # no number in this geometry can be too precise
    for number in NUMBER.finditer(text, start, end):
        line, column = locate(number.start())
        tally.judge_text(number.group(), line, column, WHAT)


def scan_embedded(text: str, tally: Tally, locate: Locate) -> str:
    """Judge every geometry found anywhere in `text` (a property value, a CSV cell).

    Returns the text outside the geometries, for the caller to judge the rest once.
    """
    position, rest = 0, []
    while (head := _HEAD.search(text, position)) is not None:
        end = _body_end(text, head.start(1))
        _judge_body(text, head.start(1), end, tally, locate)
        rest.append(text[position : head.start()])
        position = end
    rest.append(text[position:])
    return " ".join(rest)


def scan_file(text: str, tally: Tally, locate: Locate) -> None:
    """A `.wkt` file: geometries separated by whitespace, `;` or `,`; anything else is refused."""
    position = 0
    while position < len(text):
        gap = _SEPARATOR.match(text, position)
        position = gap.end() if gap is not None else position
        if position >= len(text):
            return
        head = _HEAD.match(text, position)
        if head is None:
            line, column = locate(position)
            raise Uninspectable("text that is not a WKT geometry", line, column)
        end = _body_end(text, head.start(1))
        _judge_body(text, head.start(1), end, tally, locate)
        position = end
