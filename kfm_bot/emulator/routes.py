"""Routing: OpenAPI path patterns to handlers, with slash-carrying parameters matched first.

Each handler module declares its own routes in a `Routes` list; `endpoints.py` composes those
lists into the one `Table` the pipeline matches against. Nothing registers itself globally.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from kfm_bot.emulator.call import Call

# Parameters whose values may contain slashes (`heads/main`, `docs/a.md`, `release/1.0`).
_GREEDY = {"ref", "path", "tag"}

Handler = Callable[[Call], tuple[int, Any]]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: str
    handler: Handler
    paginated: bool = False
    regex: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "regex", _compile(self.pattern))


def _compile(pattern: str) -> re.Pattern[str]:
    def group(match: re.Match[str]) -> str:
        name = match.group(1)
        return f"(?P<{name}>.+)" if name in _GREEDY else f"(?P<{name}>[^/]+)"

    return re.compile("^" + re.sub(r"\{(\w+)\}", group, pattern) + "$")


class Routes:
    """One handler module's routes, in the order written: `@ROUTES.add("GET", "/user")`."""

    def __init__(self) -> None:
        self._routes: list[Route] = []

    def add(
        self, method: str, pattern: str, paginated: bool = False
    ) -> Callable[[Handler], Handler]:
        """Declare `func` as the handler for an OpenAPI path (the function itself is unchanged)."""

        def declare(func: Handler) -> Handler:
            self._routes.append(Route(method, pattern, func, paginated))
            return func

        return declare

    def __iter__(self) -> Iterator[Route]:
        return iter(self._routes)


class Table:
    """Every route the emulator serves, matched most literal pattern first."""

    def __init__(self, groups: Iterable[Routes]) -> None:
        routes = [item for group in groups for item in group]
        seen = [(r.method, r.pattern) for r in routes]
        twice = sorted({key for key in seen if seen.count(key) > 1})
        if twice:
            raise ValueError(f"routes declared twice: {twice}")
        # Literal-heavy patterns first, so `/commits/{sha}/pulls` beats the greedy
        # `/commits/{ref}`; the sort is stable, so ties keep the order of the groups.
        self.routes: tuple[Route, ...] = tuple(
            sorted(routes, key=lambda r: -len(re.sub(r"\{\w+\}", "", r.pattern)))
        )

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        """The route for a request path, its parameters, or None (405 is folded into 404)."""
        for item in self.routes:
            if item.method != method:
                continue
            found = item.regex.match(path)
            if found:
                return item, {k: unquote(v) for k, v in found.groupdict().items()}
        return None
