"""How gates read head documents: tolerant lookups, findings located in files, values quoted.

One module for what `where.py` and `docref.py` once did twice. Documents arrive here not yet
validated (a gate must report on a document its model rejects), so lookups take any JSON value
and narrow it step by step.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from kfm_bot.findings import Finding, error
from kfm_bot.gates.engine.context import GateContext
from kfm_bot.repo.layout import SPECS_DIR
from kfm_bot.repo.snapshot import under

if TYPE_CHECKING:
    from kfm_bot.models.json_types import JSONObject

DOC_SUFFIXES = (".yaml", ".yml", ".json")
Pointer = Sequence[str | int]


def locate(ctx: GateContext, path: str, pointer: Pointer = ()) -> tuple[int | None, int | None]:
    """Line and column of `pointer` in `path` at head, else of its nearest ancestor, else the
    file start. A finding about an existing document always gets a line, so editors can jump to
    it; one about a path that is not a regular file at head gets none."""
    loaded = ctx.docs.load(path)
    if loaded is None:
        return None, None
    if loaded.data is None:
        return 1, 1  # rejected by the loader, which located its own findings
    try:
        line, col = loaded.locate(tuple(pointer))
    except (KeyError, IndexError, ValueError, TypeError):
        return 1, 1
    return line or 1, col or 1


def located(ctx: GateContext, rule: str, message: str, path: str, pointer: Pointer = ()) -> Finding:
    """An error at the value `pointer` of `path` at head (see `locate`)."""
    line, col = locate(ctx, path, pointer)
    return error(rule, message, path, line, col)


def get(data: object, *keys: str | int) -> object:
    """`data[k0][k1]...`, or None as soon as a step is missing or of the wrong type.

    The value is an unvalidated JSON value: each caller narrows it with isinstance.
    """
    for key in keys:
        if isinstance(key, int) and isinstance(data, list) and 0 <= key < len(data):
            data = data[key]
        elif isinstance(key, str) and isinstance(data, dict):
            data = data.get(key)
        else:
            return None
    return data


def text(data: object, *keys: str | int) -> str | None:
    """A string value at `keys`, None when absent or not a string."""
    value = get(data, *keys)
    return value if isinstance(value, str) else None


def spec_data(ctx: GateContext, slug: str) -> JSONObject | None:
    data = ctx.docs.data(ctx.spec_path(slug))
    return data if isinstance(data, dict) else None


def source_data(ctx: GateContext, source_id: str) -> JSONObject | None:
    data = ctx.docs.data(ctx.source_path(source_id))
    return data if isinstance(data, dict) else None


def indexed_sources(spec: Mapping[str, object]) -> list[tuple[int, str]]:
    """(index, source id) for each well-formed entry of the spec's `sources` list."""
    sources = spec.get("sources")
    if not isinstance(sources, list):
        return []
    return [(i, s) for i, s in enumerate(sources) if isinstance(s, str)]


def dataset_dir(slug: str) -> str:
    return f"{SPECS_DIR}/{slug}"


def dataset_files(ctx: GateContext) -> dict[str, list[str]]:
    """Dataset slug -> its head paths, for every dataset in scope."""
    return {slug: under(ctx.head, f"{dataset_dir(slug)}/") for slug in ctx.scope.datasets}


def is_regular(ctx: GateContext, path: str) -> bool:
    entry = ctx.head.entry(path)
    return entry is not None and entry.is_regular


# Two renderings of a value inside a message, kept apart because gate messages quote values in
# two established styles that reports and tests rely on: gates A and E quote (`'x'`), gates
# B-D show the bare value.


def quoted(value: object, limit: int = 160) -> str:
    """The value as a quoted literal (`'x'`): every non-ASCII character escaped, bounded."""
    text = ascii(value) if isinstance(value, str) else ascii(repr(value))
    return text if len(text) <= limit else text[: limit - 3] + "..."


def shown(value: object, limit: int = 80) -> str:
    """The value bare, bounded; invisible and non-printable characters made visible."""
    raw = value if isinstance(value, str) else repr(value)
    safe = "".join(
        c if (c.isprintable() and c.isascii()) or c.isalnum() else ascii(c)[1:-1] for c in raw
    )
    return safe if len(safe) <= limit else safe[: limit - 3] + "..."
