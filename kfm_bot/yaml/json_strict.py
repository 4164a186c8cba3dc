"""JSON files are read as JSON: a syntax error is reported as a JSON error at its line and column.

The strict YAML loader reads every document, JSON included (JSON is nearly a subset of YAML
1.2, and the loader keeps positions and strict rules). But YAML also accepts what JSON does
not (trailing commas, single quotes, comments, unquoted keys), and its syntax errors speak
YAML. So a file named as JSON is parsed by `json` first, after the byte guards (size,
encoding, nesting depth) have passed, and only valid JSON goes on to the strict loader.
"""

from __future__ import annotations

import json

from kfm_bot.findings import Finding, error
from kfm_bot.yaml.guard import check_bytes

JSON_SUFFIXES = (".json", ".jsonld", ".geojson")
RULE = "A.json-syntax"


class _NotJson(ValueError):
    """NaN, Infinity and -Infinity: Python's json accepts them, JSON does not."""


def _refuse_constant(name: str) -> object:
    raise _NotJson(name)


def json_syntax_finding(raw: bytes, path: str) -> Finding | None:
    """The JSON syntax error of a file named as JSON, or None (also when a byte guard fails:
    the strict loader then reports that guard's finding, and the JSON parser never runs)."""
    if not path.endswith(JSON_SUFFIXES):
        return None
    _, text, _ = check_bytes(raw, path)
    if text is None:
        return None
    try:
        json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        msg = f"invalid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}; fix it there"
        return error(RULE, msg, path, exc.lineno, exc.colno)
    except _NotJson as exc:
        line, col = _position(text, str(exc))
        msg = f"invalid JSON: {exc} is not a JSON number; write a number or a quoted string"
        return error(RULE, msg, path, line, col)
    except RecursionError:  # the depth guard bounds nesting; this is a last line of defence
        return error(RULE, "invalid JSON: nested too deeply; flatten the structure", path, 1, 1)
    return None


def _position(text: str, token: str) -> tuple[int, int]:
    """1-based line and column of the first `token` outside a string (the JSON was valid up to
    the constant, so a simple scan that skips strings finds it)."""
    in_string = escaped = False
    line, col = 1, 1
    for i, ch in enumerate(text):
        if escaped:
            escaped = False
        elif in_string:
            escaped, in_string = ch == "\\", ch != '"'
        elif ch == '"':
            in_string = True
        elif text.startswith(token, i):
            return line, col
        line, col = (line + 1, 1) if ch == "\n" else (line, col + 1)
    return 1, 1
