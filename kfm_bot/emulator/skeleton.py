"""Minimal valid instances of the description's schemas, which builders then fill in."""

from __future__ import annotations

import copy
import functools
from typing import Any

from kfm_bot.emulator.openapi import raw_spec

EPOCH = "2026-01-01T00:00:00Z"
_FORMATS = {"date-time": EPOCH, "uri": "https://github.com/", "email": "nobody@example.com"}


def resolve(schema: dict[str, Any]) -> dict[str, Any]:
    """Follow `$ref` links to the schema they name."""
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = raw_spec()["components"]["schemas"][name]
    return schema


@functools.cache
def _cached(name: str) -> Any:
    return instance(raw_spec()["components"]["schemas"][name], allow_null=False)


def skeleton(name: str) -> Any:
    """A fresh minimal instance of components/schemas/<name> (a deep copy, safe to mutate)."""
    return copy.deepcopy(_cached(name))


def instance(schema: dict[str, Any], allow_null: bool = True) -> Any:
    """The smallest value that satisfies `schema`: required properties only, nulls where allowed."""
    schema = resolve(schema)
    if schema.get("nullable") and allow_null:
        return None
    if "allOf" in schema:
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            value = instance(part)
            if isinstance(value, dict):
                merged.update(value)
        return merged
    for key in ("oneOf", "anyOf"):
        if key in schema:
            return instance(schema[key][0])
    if "enum" in schema:
        return schema["enum"][0]
    return _typed(schema)


def _typed(schema: dict[str, Any]) -> Any:
    kind = schema.get("type", "object")
    if kind == "object":
        props = schema.get("properties", {})
        return {key: instance(props.get(key, {})) for key in schema.get("required", [])}
    if kind == "array":
        return []
    if kind == "string":
        return _FORMATS.get(schema.get("format", ""), "")
    if kind in ("integer", "number"):
        return max(0, schema.get("minimum", 0))
    if kind == "boolean":
        return False
    return None
