"""Cut GitHub's published GraphQL schema down to what given queries use (a maintainer's tool).

    python -m kfm_bot.emulator.graphql_subset FULL.graphql QUERY.graphql... --out OUT.graphql \\
        --source "octokit/graphql-schema@<commit> (<date>), schema.graphql"

Kept: every field the queries select (with all its arguments, and the input and enum types
those name), the types they return, fragment type conditions, variable types, and for a kept
interface the same fields on its kept implementations (so the subset is a valid schema). Types,
fields and enum values keep GitHub's descriptions; applied directives are dropped except
`@deprecated`. The emulator validates every `POST /graphql` against the result
(`data/github-graphql-subset.graphql`); nothing reads the full schema at run time.
"""

from __future__ import annotations

import argparse
import copy
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TypeVar

from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    build_ast_schema,
    get_named_type,
    parse,
    print_ast,
    validate,
    visit,
)
from graphql.language import ast

N = TypeVar("N", bound=ast.Node)
_BUILTIN = {"String", "Int", "Float", "Boolean", "ID"}


class _Used(Visitor):
    def __init__(self, info: TypeInfo, fields: dict[str, set[str]], types: set[str]) -> None:
        super().__init__()
        self.info, self.fields, self.types = info, fields, types

    def enter_field(self, node: FieldNode, *_: object) -> None:
        parent = self.info.get_parent_type()
        if parent is not None and not node.name.value.startswith("__"):
            self.fields.setdefault(parent.name, set()).add(node.name.value)

    def enter_inline_fragment(self, node: InlineFragmentNode, *_: object) -> None:
        if node.type_condition is not None:
            self.types.add(node.type_condition.name.value)

    def enter_variable_definition(self, node: ast.VariableDefinitionNode, *_: object) -> None:
        inner: ast.TypeNode = node.type
        while not isinstance(inner, ast.NamedTypeNode):
            inner = inner.type  # type: ignore[attr-defined]
        self.types.add(inner.name.value)


def used(schema: GraphQLSchema, queries: Iterable[DocumentNode]) -> dict[str, set[str]]:
    """Type name -> the field names kept on it (an empty set: a type kept whole or a leaf)."""
    fields: dict[str, set[str]] = {}
    types: set[str] = {"Query"}
    for document in queries:
        problems = validate(schema, document)
        if problems:
            raise ValueError(f"a query does not validate: {problems[0].message}")
        info = TypeInfo(schema)
        visit(document, TypeInfoVisitor(info, _Used(info, fields, types)))
    types |= set(fields)
    kept: dict[str, set[str]] = {name: set(fields.get(name, ())) for name in types}
    changed = True
    while changed:  # the closure: return and argument types, interfaces' fields on implementers
        changed = False
        for name in list(kept):
            kind = schema.get_type(name)
            more: set[str] = set()
            if isinstance(kind, GraphQLObjectType | GraphQLInterfaceType):
                for field_name in kept[name]:
                    field = kind.fields[field_name]
                    more.add(get_named_type(field.type).name)
                    more |= {get_named_type(a.type).name for a in field.args.values()}
            if isinstance(kind, GraphQLInputObjectType):
                more |= {get_named_type(f.type).name for f in kind.fields.values()}
            if isinstance(kind, GraphQLInterfaceType):
                for impl in schema.get_possible_types(kind):
                    if impl.name in kept and not kept[name] <= kept[impl.name]:
                        kept[impl.name] |= kept[name]
                        changed = True
            for new in more - set(kept) - _BUILTIN:
                kept[new] = set()
                changed = True
    return kept


def _with(node: N, **changes: object) -> N:
    """A copy of an AST node with some attributes changed (graphql-core 3.3 freezes them)."""
    copied = copy.copy(node)
    for key, value in changes.items():
        object.__setattr__(copied, key, value)
    return copied


def _strip(node: N) -> N:
    """Drop applied directives other than @deprecated (their definitions are not kept)."""
    changes: dict[str, object] = {}
    directives = getattr(node, "directives", None)
    if directives:
        changes["directives"] = tuple(d for d in directives if d.name.value == "deprecated")
    for key in ("fields", "values", "arguments"):
        children = getattr(node, key, None)
        if children:
            changes[key] = tuple(_strip(c) for c in children)
    return _with(node, **changes) if changes else node


def prune(full_sdl: str, queries: Iterable[str], header: str = "") -> str:
    """The subset of `full_sdl` that `queries` need, as SDL (with `header` as # comments)."""
    document = parse(full_sdl)
    schema = build_ast_schema(document, assume_valid=True)
    kept = used(schema, [parse(q) for q in queries])
    out: list[ast.DefinitionNode] = []
    for node in document.definitions:
        name = getattr(getattr(node, "name", None), "value", None)
        if not isinstance(node, ast.TypeDefinitionNode) or name not in kept:
            continue
        if isinstance(node, ast.ObjectTypeDefinitionNode | ast.InterfaceTypeDefinitionNode):
            node = _with(
                node,
                fields=tuple(f for f in node.fields or () if f.name.value in kept[name]),
                interfaces=tuple(i for i in node.interfaces or () if i.name.value in kept),
            )
        if isinstance(node, ast.UnionTypeDefinitionNode):
            node = _with(node, types=tuple(t for t in node.types or () if t.name.value in kept))
        out.append(_strip(node))
    out.sort(key=lambda n: n.name.value)  # type: ignore[attr-defined]
    text = print_ast(ast.DocumentNode(definitions=tuple(out)))
    lines = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    subset = lines + ("\n" if lines else "") + text + "\n"
    check = build_ast_schema(parse(subset))
    for query in queries:
        problems = validate(check, parse(query))
        if problems:
            raise ValueError(f"the subset does not hold a query: {problems[0].message}")
    return subset


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("full", type=Path, help="GitHub's full schema.graphql")
    parser.add_argument("queries", type=Path, nargs="+", help="the queries the bot sends")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--source", required=True, help="where the full schema came from")
    args = parser.parse_args(argv)
    header = (
        "GitHub's GraphQL schema, cut to the types and fields kfm-bot's queries use.\n"
        f"Source: {args.source} (MIT, the Octokit project).\n"
        "Made with kfm_bot/emulator/graphql_subset.py; do not edit by hand."
    )
    queries = [q.read_text(encoding="utf-8") for q in args.queries]
    text = prune(args.full.read_text(encoding="utf-8"), queries, header)
    tmp = args.out.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
