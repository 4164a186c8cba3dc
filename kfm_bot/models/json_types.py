"""The types of JSON values as the bot holds them: what a strict YAML or JSON load makes.

`JSONValue` is what `yaml.strict`, `json.loads` and `rfc8785` agree on. A document is a
`JSONObject` once loaded, and pydantic models validate it into a known shape; code that only
reads a document takes `Mapping[str, object]` (dicts are invariant, so a `dict[str, str]`
is no `JSONObject`, but it is a `Mapping[str, object]`) and narrows with `isinstance`.
`Any` is left only where a document enters before it is loaded or validated.
"""

from __future__ import annotations

from typing import TypeAlias

JSONScalar: TypeAlias = "str | int | float | bool | None"
JSONValue: TypeAlias = "JSONScalar | list[JSONValue] | dict[str, JSONValue]"
JSONObject: TypeAlias = "dict[str, JSONValue]"
JSONArray: TypeAlias = "list[JSONValue]"

__all__ = ["JSONArray", "JSONObject", "JSONScalar", "JSONValue"]
