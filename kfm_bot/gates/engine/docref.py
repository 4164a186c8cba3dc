"""Shared by gates B-D: located findings and tolerant reads of spec and source documents."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kfm_bot.findings import Finding, error
from kfm_bot.gates.engine.context import GateContext

Pointer = Sequence[str | int]


def locate(ctx: GateContext, path: str, pointer: Pointer) -> tuple[int | None, int | None]:
    """Line and column of `pointer` in `path`; the file start when the value cannot be traced."""
    loaded = ctx.docs.load(path)
    if loaded is None:
        return None, None
    try:
        line, col = loaded.locate(tuple(pointer))
    except (KeyError, IndexError, ValueError, TypeError):
        line, col = None, None
    # A finding about an existing document always gets a line, so editors can jump to it.
    return line or 1, col or 1


def at(ctx: GateContext, rule: str, message: str, path: str, pointer: Pointer = ()) -> Finding:
    line, col = locate(ctx, path, pointer)
    return error(rule, message, path, line, col)


def get(data: Any, *keys: str | int) -> Any:
    """`data[k0][k1]...`, or None as soon as a step is missing or of the wrong type."""
    for key in keys:
        if isinstance(key, int) and isinstance(data, list) and 0 <= key < len(data):
            data = data[key]
        elif isinstance(key, str) and isinstance(data, dict):
            data = data.get(key)
        else:
            return None
    return data


def text(data: Any, *keys: str | int) -> str | None:
    """A string value at `keys`, None when absent or not a string."""
    value = get(data, *keys)
    return value if isinstance(value, str) else None


def spec_data(ctx: GateContext, slug: str) -> dict[str, Any] | None:
    data = ctx.docs.data(ctx.spec_path(slug))
    return data if isinstance(data, dict) else None


def source_data(ctx: GateContext, source_id: str) -> dict[str, Any] | None:
    data = ctx.docs.data(ctx.source_path(source_id))
    return data if isinstance(data, dict) else None


def spec_sources(spec: dict[str, Any]) -> list[tuple[int, str]]:
    """(index, source id) for each well-formed entry of the spec's `sources` list."""
    sources = spec.get("sources")
    if not isinstance(sources, list):
        return []
    return [(i, s) for i, s in enumerate(sources) if isinstance(s, str)]


def dataset_dir(slug: str) -> str:
    return f"specs/{slug}"


def shown(value: object, limit: int = 80) -> str:
    """A document value as a message quotes it: bounded, invisible characters made visible."""
    raw = value if isinstance(value, str) else repr(value)
    safe = "".join(
        c if (c.isprintable() and c.isascii()) or c.isalnum() else ascii(c)[1:-1] for c in raw
    )
    return safe if len(safe) <= limit else safe[: limit - 3] + "..."
