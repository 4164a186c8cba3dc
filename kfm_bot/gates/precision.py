"""Coordinate precision in GeoJSON/JSON text for gate C: finds over-precise numbers by line.

The text is scanned, never parsed: fixtures may be large, and a located finding needs
the line anyway. Findings never carry the number itself (it may be a protected location).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Arrays of positions (and bounding boxes) in GeoJSON, plus scalar lat/lon properties.
_ARRAY_KEY = re.compile(r'"(?:coordinates|bbox)"\s*:\s*\[')
_SCALAR_KEY = re.compile(r'"(?:lat|lon|lng|latitude|longitude)"\s*:\s*(?=-?[0-9])', re.IGNORECASE)
_NUMBER = re.compile(r"-?[0-9]+(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]+))?")
_BRACKET = re.compile(r"[\[\]]")


@dataclass(frozen=True, slots=True)
class Offence:
    line: int
    column: int
    decimals: int


def decimals(fraction: str | None, exponent: str | None) -> int:
    """Decimal places a number really carries: trailing zeros add none, exponents shift."""
    digits = (fraction or "").rstrip("0")
    shift = int(exponent) if exponent else 0
    if len(exponent or "") > 6:  # absurd exponents: count as very precise, never overflow
        shift = -(10**6) if shift < 0 else 10**6
    return max(0, len(digits) - shift)


def _array_end(text: str, open_at: int) -> int:
    depth = 0
    for match in _BRACKET.finditer(text, open_at):
        depth += 1 if match.group() == "[" else -1
        if depth == 0:
            return match.end()
    return len(text)


def _spans(text: str) -> list[tuple[int, int]]:
    spans = [(m.end() - 1, _array_end(text, m.end() - 1)) for m in _ARRAY_KEY.finditer(text)]
    for m in _SCALAR_KEY.finditer(text):
        number = _NUMBER.match(text, m.end())
        if number is not None:
            spans.append((number.start(), number.end()))
    return sorted(spans)


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def over_precise(text: str, limit: int, cap: int = 5) -> tuple[list[Offence], int]:
    """Up to `cap` offending numbers, on distinct lines in file order, and the total count."""
    found: list[Offence] = []
    total = 0
    last_end = -1
    for start, end in _spans(text):
        start = max(start, last_end)  # nested or repeated spans are scanned once
        for number in _NUMBER.finditer(text, start, end):
            places = decimals(number.group(1), number.group(2))
            if places <= limit:
                continue
            total += 1
            if len(found) < cap:
                line, column = _line_col(text, number.start())
                if not found or found[-1].line != line:
                    found.append(Offence(line, column, places))
        last_end = max(last_end, end)
    return found, total
