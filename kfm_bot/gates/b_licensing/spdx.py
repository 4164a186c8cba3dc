"""SPDX licence expressions for gate B: parsing (license-expression) and the AND/OR policy logic.

A source's expression is what we may choose from: `A OR B` is acceptable when one choice
is, `A AND B` only when every part is. A dataset's expression is what we promise to
recipients, who may pick any part: every licence it names must be acceptable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# Not licences but the absence of an answer; SPDX allows them where an expression goes.
ALWAYS_UNCLEAR = frozenset({"NOASSERTION", "NONE"})
REF_PREFIXES = ("LicenseRef-", "DocumentRef-")


@lru_cache(maxsize=1)
def _licensing() -> Any:
    from license_expression import get_spdx_licensing

    return get_spdx_licensing()


@dataclass(frozen=True)
class Parsed:
    """A parsed expression: `tree` is None when `error` says why it does not parse."""

    text: str
    tree: Any = None
    error: str | None = None
    leaves: tuple[str, ...] = ()  # licence keys as SPDX spells them, `A WITH e` kept whole
    unknown: tuple[str, ...] = ()  # keys the SPDX licence list does not know


@lru_cache(maxsize=4096)
def parse(expression: str) -> Parsed:
    lic = _licensing()
    try:
        tree = lic.parse(expression, validate=False, strict=True)
    except Exception as exc:  # the library raises several unrelated types
        return Parsed(expression, error=str(exc).split(" for token")[0] or type(exc).__name__)
    if tree is None:
        return Parsed(expression, error="the expression is empty")
    unknown = tuple(dict.fromkeys(lic.unknown_license_keys(tree)))
    return Parsed(expression, tree, None, tuple(dict.fromkeys(_leaves(tree))), unknown)


def _leaves(tree: Any) -> Iterable[str]:
    args = getattr(tree, "args", None)
    if args and isinstance(tree, (_licensing().AND, _licensing().OR)):
        for arg in args:
            yield from _leaves(arg)
    else:
        yield leaf_key(tree)


def leaf_key(symbol: Any) -> str:
    """The canonical key of a licence symbol, with its exception when it has one."""
    render: Callable[[], str] = symbol.render
    return str(render())


def unclear_keys(parsed: Parsed, policy_unclear: Iterable[str], known_refs: set[str]) -> list[str]:
    """Keys that say "we do not know": NOASSERTION/NONE, the policy's list, unlisted LicenseRefs."""
    unclear = ALWAYS_UNCLEAR | set(policy_unclear)
    return [
        key
        for key in parsed.leaves
        if key in unclear or (key.startswith(REF_PREFIXES) and key not in known_refs)
    ]


def invalid_keys(parsed: Parsed, known_refs: set[str]) -> list[str]:
    """Unknown keys that are neither unclear markers nor licence refs the policy names."""
    return [
        key
        for key in parsed.unknown
        if key not in ALWAYS_UNCLEAR and not key.startswith(REF_PREFIXES) and key not in known_refs
    ]


def choosable(parsed: Parsed, ok: Callable[[str], bool]) -> bool:
    """Source semantics: OR needs one acceptable choice, AND needs every part."""
    return parsed.tree is not None and _choose(parsed.tree, ok)


def _choose(tree: Any, ok: Callable[[str], bool]) -> bool:
    lic = _licensing()
    if isinstance(tree, lic.OR):
        return any(_choose(arg, ok) for arg in tree.args)
    if isinstance(tree, lic.AND):
        return all(_choose(arg, ok) for arg in tree.args)
    return ok(leaf_key(tree))


def promised(parsed: Parsed, ok: Callable[[str], bool]) -> list[str]:
    """Dataset semantics: the licences named that are not acceptable (empty list: all are)."""
    return [key for key in parsed.leaves if not ok(key)]


def canonical(key: str) -> str:
    """A policy list entry spelled as the parser spells it (`cc-by-4.0` -> `CC-BY-4.0`)."""
    parsed = parse(key)
    return parsed.leaves[0] if len(parsed.leaves) == 1 else key
