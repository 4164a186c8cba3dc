"""Which top-level fields of `object` a CEL expression can read, so results can be memoised."""

from __future__ import annotations

from typing import Any

OBJECT = "object"


def object_fields(*asts: Any) -> frozenset[str] | None:
    """The names `F` used as `object.F`, or None when `object` is used any other way.

    When `object` only ever appears as `object.F` (field selection, including inside `has()`),
    the expression's value depends on those top-level fields alone: any `object` agreeing on
    them gives the same result. `object.size()`, `object[k]`, `f(object)` or iterating it
    would also depend on the other keys, so they turn the analysis off.
    """
    found: set[str] = set()
    for ast in asts:
        if ast is not None and not _walk(ast, found):
            return None
    return frozenset(found)


def _walk(node: Any, found: set[str]) -> bool:
    children = getattr(node, "children", None)
    if children is None:
        return True  # a token
    if (
        getattr(node, "data", None) == "member_dot"
        and len(children) == 2
        and _is_object(children[0])
    ):
        found.add(str(children[1]))
        return True
    if _is_object_ident(node):
        return False
    return all(_walk(child, found) for child in children)


def _is_object(member: Any) -> bool:
    """`member -> primary -> ident object`: the bare variable on the left of a dot."""
    node = member
    for expected in ("member", "primary"):
        kids = getattr(node, "children", None)
        if getattr(node, "data", None) != expected or not kids or len(kids) != 1:
            return False
        node = kids[0]
    return _is_object_ident(node)


def _is_object_ident(node: Any) -> bool:
    kids: list[Any] = getattr(node, "children", None) or []
    return getattr(node, "data", None) == "ident" and bool(kids) and str(kids[0]) == OBJECT
