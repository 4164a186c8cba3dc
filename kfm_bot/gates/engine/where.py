"""Locating findings in head documents, and the in-scope files gates A and E walk."""

from __future__ import annotations

from collections.abc import Sequence

from kfm_bot.findings import Finding, error
from kfm_bot.gates.engine.context import GateContext
from kfm_bot.repo.layout import SPECS_DIR

DOC_SUFFIXES = (".yaml", ".yml", ".json")


def located(
    ctx: GateContext, rule: str, message: str, path: str, pointer: Sequence[str | int] = ()
) -> Finding:
    """An error at the value `pointer` of `path` at head; line 1 when the file has no such value."""
    line, col = 1, 1
    loaded = ctx.docs.load(path) if ctx.head.entry(path) is not None else None
    if loaded is not None and loaded.data is not None:
        line, col = loaded.locate(pointer)
    return error(rule, message, path, line, col)


def show(value: object, limit: int = 160) -> str:
    """A value as a message may quote it: invisible and non-ASCII characters escaped, bounded."""
    text = ascii(value) if isinstance(value, str) else ascii(repr(value))
    return text if len(text) <= limit else text[: limit - 3] + "..."


def dataset_files(ctx: GateContext) -> dict[str, list[str]]:
    """Dataset slug -> its head paths, for every dataset in scope."""
    wanted = ctx.scope.datasets
    files: dict[str, list[str]] = {slug: [] for slug in wanted}
    for path in ctx.head.paths():
        parts = path.split("/", 2)
        if len(parts) == 3 and parts[0] == SPECS_DIR and parts[1] in wanted:
            files[parts[1]].append(path)
    return {slug: sorted(paths) for slug, paths in files.items()}


def is_regular(ctx: GateContext, path: str) -> bool:
    entry = ctx.head.entry(path)
    return entry is not None and entry.is_regular
