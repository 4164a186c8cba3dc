"""Coordinate precision for gate C: how many decimal places a number carries, and the tally.

Every fixture scanner (JSON, CSV/TSV, WKT) reports the numbers it judges to be coordinates
to one `Tally`, which keeps located offences only: never the number itself, since it may be
a protected location.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field

# A number as people write it in text cells and WKT: sign, optional integer or fraction part.
NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.([0-9]*))?|\.([0-9]+))(?:[eE]([-+]?[0-9]+))?")
MAX_EXPONENT_DIGITS = 6


def decimals(fraction: str | None, exponent: str | None) -> int:
    """Decimal places a number really carries: trailing zeros add none, exponents shift."""
    digits = (fraction or "").rstrip("0")
    if len(exponent or "") > MAX_EXPONENT_DIGITS:  # absurd exponents: very precise, no overflow
        shift = -(10**6) if (exponent or "").startswith("-") else 10**6
    else:
        shift = int(exponent) if exponent else 0
    return max(0, len(digits) - shift)


def number_places(literal: str) -> tuple[float, int] | None:
    """(value, decimal places) of a text that is exactly one number, else None."""
    match = NUMBER.fullmatch(literal.strip())
    if match is None:
        return None
    fraction, exponent = match.group(1) or match.group(2), match.group(3)
    if len(exponent or "") > MAX_EXPONENT_DIGITS:
        return None  # not a plausible coordinate, and float() would be inf
    return float(match.group()), decimals(fraction, exponent)


@functools.lru_cache(maxsize=32)
def maybe_precise(limit: int) -> re.Pattern[str]:
    """A superset test: text it does not match holds no number with more than `limit` places.

    Scanners skip what it rules out (whole files, CSV rows) and judge the rest exactly.
    """
    # A nonzero digit beyond the limit (trailing zeros add no places), or any exponent.
    return re.compile(rf"\.[0-9]{{{min(limit, 1000)}}}[0-9]*[1-9]|[eE][-+]?[0-9]")


def position_members(values: list[float]) -> list[int]:
    """Which numbers of one group (an array, an object, a CSV row, a text) may be a position.

    Those within longitude range, when there are two or more and one is within latitude
    range: the shape of lon/lat (or lat/lon). The rest (an elevation, a count of 500) are not
    locations. Nothing else about the group counts, so text or out-of-range values placed
    beside a position cannot hide it.
    """
    inside = [i for i, value in enumerate(values) if abs(value) <= 180]
    return inside if len(inside) >= 2 and any(abs(values[i]) <= 90 for i in inside) else []


@dataclass(frozen=True, slots=True)
class Offence:
    line: int
    column: int
    decimals: int
    what: str  # "a coordinate", "a WKT coordinate", ...: how the scanner recognised it


class LineIndex:
    """Line and column of a character offset, by bisection over the newline offsets."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._starts: list[int] = []  # built on the first lookup: clean files never need it

    def at(self, index: int) -> tuple[int, int]:
        if not self._starts:
            self._starts = [0] + [m.end() for m in re.finditer("\n", self._text)]
        line = bisect.bisect_right(self._starts, index)
        return line, index - self._starts[line - 1] + 1


class Enough(Exception):
    """Raised by a `Tally` that has counted `MAX_COUNTED` offences: the file's verdict is known.

    It bounds the work on a huge fixture full of precise numbers.
    """


MAX_COUNTED = 1000


@dataclass
class Tally:
    """Offending numbers of one file: up to `cap` located ones on distinct lines, and a count."""

    limit: int
    cap: int = 3
    found: list[Offence] = field(default_factory=list)
    total: int = 0

    def judge(self, places: int, line: int, column: int, what: str) -> None:
        if places <= self.limit:
            return
        self.total += 1
        if len(self.found) < self.cap and (not self.found or self.found[-1].line != line):
            self.found.append(Offence(line, column, places, what))
        if self.total >= MAX_COUNTED:
            raise Enough

    def judge_text(self, literal: str, line: int, column: int, what: str) -> bool:
        """Judge a text that is one number; False when it is not a number."""
        parsed = number_places(literal)
        if parsed is not None:
            self.judge(parsed[1], line, column, what)
        return parsed is not None
