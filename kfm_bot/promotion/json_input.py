"""Strict JSON input files of the standalone promotion tools (`manifest build`/`validate`).

A pipeline hands these files over; nothing in them is guessed or repaired: duplicate keys,
NaN/Infinity, non-UTF-8 bytes and oversized files are usage errors that name the file and,
for a syntax error, its line and column.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kfm_bot.errors import UsageError

MAX_BYTES = 16 * 1024 * 1024  # a manifest or report of this size is a mistake, not data


class Refused(ValueError):
    """Valid JSON syntax that the strict reading refuses (a duplicate key, NaN)."""


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:  # json.loads would silently keep the last one
            raise Refused(f"duplicate key {key!r}")
        seen[key] = value
    return seen


def no_constant(name: str) -> Any:
    raise Refused(f"{name} is not JSON")


def read_text(path: Path, what: str, max_bytes: int = MAX_BYTES) -> str:
    """The file's text, or a UsageError naming the file and what it should have been."""
    shown = str(path)
    try:
        if not path.is_file():
            why = "no such file" if not path.exists() else "not a regular file"
            raise UsageError(f"{shown}: cannot read the {what} ({why})")
        with path.open("rb") as fh:
            raw = fh.read(max_bytes + 1)
    except OSError as exc:
        raise UsageError(f"{shown}: cannot read the {what} ({exc.strerror})") from None
    if len(raw) > max_bytes:
        raise UsageError(f"{shown}: the {what} is over {max_bytes} bytes")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{shown}: the {what} is not UTF-8 (byte {exc.start})") from None


def parse(text: str, shown: str, what: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=unique_keys, parse_constant=no_constant)
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"{shown}:{exc.lineno}:{exc.colno}: the {what} is not valid JSON: {exc.msg}"
        ) from None
    except Refused as exc:
        raise UsageError(f"{shown}: the {what} is not valid JSON: {exc}") from None
    except RecursionError:
        raise UsageError(f"{shown}: the {what} is nested too deeply") from None


def read_json(path: Path, what: str) -> Any:
    return parse(read_text(path, what), str(path), what)
