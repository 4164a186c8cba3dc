"""Which top-level fields of `object` a CEL expression can read, so results can be memoised.

The parse trees are lark's, read through `getattr` (`children`, `data`) so any node will do.
"""

from __future__ import annotations

OBJECT = "object"


def object_fields(*asts: object) -> frozenset[str] | None:
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


def _walk(node: object, found: set[str]) -> bool:
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


def _is_object(member: object) -> bool:
    """`member -> primary -> ident object`: the bare variable on the left of a dot."""
    node = member
    for expected in ("member", "primary"):
        kids = getattr(node, "children", None)
        if getattr(node, "data", None) != expected or not kids or len(kids) != 1:
            return False
        node = kids[0]
    return _is_object_ident(node)


def _is_object_ident(node: object) -> bool:
    kids: list[object] = getattr(node, "children", None) or []
    return getattr(node, "data", None) == "ident" and bool(kids) and str(kids[0]) == OBJECT
