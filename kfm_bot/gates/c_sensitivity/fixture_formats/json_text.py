"""JSON and GeoJSON fixtures, judged on decoded content with every value located.

The document is first parsed (so malformed JSON is refused with its line), then walked
token by token: keys are decoded (`"coordin\\u0061tes"` is `coordinates`), every copy of a
duplicated key is seen (a parser keeps only the last, the repository keeps them all), and
each judged number keeps its line. Numbers count as coordinates when they sit under a key
that names coordinates, when the numbers of one array or object have the shape of a
position, or when a string (a value or a key) holds a position or WKT geometry.
"""

from __future__ import annotations

import functools
import json
import re

from kfm_bot.gates.c_sensitivity.fixture_formats import Uninspectable
from kfm_bot.gates.c_sensitivity.fixture_formats.names import is_coordinate_name
from kfm_bot.gates.c_sensitivity.fixture_formats.values import judge_value
from kfm_bot.gates.c_sensitivity.precision import (
    LineIndex,
    Tally,
    decimals,
    maybe_precise,
    position_members,
)

# Tokens of a document already known to be valid JSON. Commas, colons after values, true,
# false and null are skipped: a position with a null in it is still judged (fail closed).
_TOKEN = re.compile(
    r'("[^"\\]*(?:\\.[^"\\]*)*")(\s*:)?'  # 1 string, 2 its colon when it is a key
    r"|(-?[0-9]+(?:\.([0-9]+))?(?:[eE]([-+]?[0-9]+))?)"  # 3 number, 4 fraction, 5 exponent
    r"|([\[{])"  # 6 opens
    r"|([\]}])"  # 7 closes
    r"|(NaN|-?Infinity)"  # 8 Python's extensions, not JSON: refused
)
_STRING, _KEY, _NUMBER, _OPEN, _CLOSE, _NOT_JSON = 1, 2, 3, 6, 7, 8
_DIGIT = re.compile(r"[0-9]")


class _Frame:
    """An open object or array, and whether the values in it count as coordinates."""

    __slots__ = ("coordinate", "is_object", "key_names_coordinate", "numbers")

    def __init__(self, is_object: bool, coordinate: bool) -> None:
        self.is_object = is_object
        self.coordinate = coordinate  # everything below is a coordinate (`coordinates: [...]`)
        self.key_names_coordinate = False  # the current key of an object names one (`lat`)
        self.numbers: list[re.Match[str]] = []  # direct numbers, judged as a group at the end


@functools.lru_cache(maxsize=4096)
def _names_coordinate(key: str) -> bool:
    return is_coordinate_name(key)


def _decode(token: str) -> str:
    return token[1:-1] if "\\" not in token else str(json.loads(token))


def _not_json(constant: str) -> None:
    raise ValueError(constant)  # NaN, Infinity: the walker locates and refuses them


def _parse(text: str, lines: bool) -> bool:
    """Refuse what is not JSON (or, with `lines`, not one JSON document per line).

    True when the text holds NaN or Infinity, which Python reads and JSON does not.
    """
    documents = enumerate(text.split("\n"), 1) if lines else [(1, text)]
    for first_line, document in documents:
        if lines and not document.strip():
            continue
        try:
            json.loads(document, parse_constant=_not_json)
        except json.JSONDecodeError as exc:
            line = first_line + exc.lineno - 1
            raise Uninspectable(f"not valid JSON ({exc.msg})", line, exc.colno) from None
        except RecursionError:
            raise Uninspectable("JSON nested too deeply to inspect", first_line) from None
        except ValueError as exc:
            if str(exc) in ("NaN", "Infinity", "-Infinity"):
                return True
            # an integer literal beyond Python's digit limit
            raise Uninspectable("a number too long to inspect", first_line) from None
    return False


class _Walker:
    def __init__(self, text: str, tally: Tally) -> None:
        self.text, self.tally, self.index = text, tally, LineIndex(text)
        self.stack: list[_Frame] = [_Frame(is_object=False, coordinate=False)]

    def _judge(self, number: re.Match[str], what: str = "a coordinate") -> None:
        fraction, exponent = number.group(4), number.group(5)
        if exponent is None and (fraction is None or len(fraction) <= self.tally.limit):
            return  # the common case, decided without counting zeros
        places = decimals(fraction, exponent)
        if places > self.tally.limit:  # lines are only looked up for offences
            line, column = self.index.at(number.start())
            self.tally.judge(places, line, column, what)

    def _close(self) -> None:
        numbers = self.stack.pop().numbers
        if len(numbers) >= 2:  # a position under keys that do not say so: `{"a": .., "b": ..}`
            for member in position_members([float(n.group(_NUMBER)) for n in numbers]):
                self._judge(numbers[member], "a number shaped like a coordinate")

    def _string(self, match: re.Match[str], top: _Frame) -> None:
        token = match.group(_STRING)
        if match.group(_KEY) is not None:
            top.key_names_coordinate = _names_coordinate(_decode(token))
            coordinate = False  # a key is judged as text: `{"-96.61384, 39.17": 1}`
        else:
            coordinate = top.coordinate or top.key_names_coordinate
        if coordinate or _DIGIT.search(token):  # only digits can make a coordinate
            line, column = self.index.at(match.start())
            judge_value(_decode(token), coordinate, self.tally, line, column)

    def walk(self) -> None:
        stack = self.stack
        for match in _TOKEN.finditer(self.text):
            kind, top = match.lastindex, stack[-1]
            if kind == _NUMBER:
                if top.coordinate or top.key_names_coordinate:
                    self._judge(match)
                else:
                    top.numbers.append(match)
            elif kind == _OPEN:
                is_object = match.group(_OPEN) == "{"
                stack.append(_Frame(is_object, top.coordinate or top.key_names_coordinate))
            elif kind == _CLOSE:
                self._close()
            elif kind == _NOT_JSON:
                line, column = self.index.at(match.start())
                raise Uninspectable("NaN or Infinity is not JSON", line, column)
            else:
                self._string(match, top)


def scan(text: str, tally: Tally, lines: bool = False) -> None:
    """Judge a JSON document (or, with `lines`, newline-delimited JSON documents)."""
    constants = _parse(text, lines)
    if not constants and "\\u" not in text and maybe_precise(tally.limit).search(text) is None:
        return  # no number in it can be too precise, and no escape can hide one
    _Walker(text, tally).walk()
