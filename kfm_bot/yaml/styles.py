"""Re-emit a JSON document as YAML in other styles, for gate A's spec_hash stability check.

A small hand-written emitter rather than ruamel.yaml's: it must never write an anchor, a tag
or a scalar that strict loading would refuse (`yes`, dates, ...), and its output must be the
same on every machine. Every style loads back to the same value, so to the same spec_hash.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

from kfm_bot.yaml.scalars import float_text, resolve_plain

_PLAIN_SAFE = re.compile(r"[A-Za-z_][A-Za-z0-9_./-]*")
# `sha256:ab`, `https://x.org/a`: plain in YAML 1.2 flow style, as ruamel.yaml writes them, and
# refused by libyaml, so this style proves the pure-parser reading hashes the same.
_PLAIN_COLONS = re.compile(r"[A-Za-z_][A-Za-z0-9_./-]*(?::[A-Za-z0-9_./-]+)*")
# Characters written as escapes: outside YAML's printable set, line breaks of YAML 1.1, and
# the invisible characters strict loading looks for.
_ESCAPE = re.compile(
    "[^\x20-\x7e\xa0-\u180d\u180f-\u200a\u2010-\u2027\u202f-\u205f\u2070-\ud7ff\ue000-\ufefe"
    "\uff00-\ufffd\U00010000-\U0010ffff]"
)
# In JSON text every raw line break is structure (json.dumps escapes those inside strings).
_ESCAPE_IN_JSON = re.compile("(?!\n)" + _ESCAPE.pattern)
_SHORT = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\x00": "\\0"}


@dataclass(frozen=True)
class _Style:
    reverse: bool = False
    quote_all: bool = False
    comments: bool = False
    literal: bool = False
    colons: bool = False


def restyle(doc: Mapping[str, object]) -> dict[str, bytes]:
    """Name -> YAML bytes of the same document in another style (all load to the same value)."""
    block = _render(doc, _Style())
    return {
        "block": _encode(block),
        "flow": _encode([_flow(doc, _Style())]),
        "flow_colons": _encode([_flow(doc, _Style(colons=True))]),
        "json": _encode([_escape_all(_json(doc, ""))]),
        "reversed": _encode(_render(doc, _Style(reverse=True))),
        "quoted": _encode(_render(doc, _Style(quote_all=True))),
        "literal": _encode(_render(doc, _Style(literal=True))),
        "crlf": _encode(block, "\r\n"),
        "bom_comments": b"\xef\xbb\xbf" + _encode(_render(doc, _Style(comments=True))),
    }


def _encode(lines: list[str], newline: str = "\n") -> bytes:
    return (newline.join(lines) + newline).encode("utf-8")


def _render(doc: Mapping[str, object], style: _Style) -> list[str]:
    header = ["# restyled by kfm-bot: comments do not change the spec_hash"]
    body = _block(doc, 0, style) if doc else ["{}"]
    return header + body if style.comments else body


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    short = _SHORT.get(char)
    if short is not None:
        return short
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _escape_all(text: str) -> str:
    return _ESCAPE_IN_JSON.sub(_escape_char, text)


def _double(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + _ESCAPE.sub(_escape_char, escaped) + '"'


def _string(text: str, style: _Style) -> str:
    if style.quote_all:
        if _ESCAPE.search(text) is None and text.strip(" ") == text:
            return "'" + text.replace("'", "''") + "'"
        return _double(text)
    plain = _PLAIN_COLONS if style.colons else _PLAIN_SAFE
    if plain.fullmatch(text) and resolve_plain(text) == (text, None):
        return text
    return _double(text)


def _scalar(value: object, style: _Style) -> str:
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, float):
        return float_text(value)
    if isinstance(value, int):
        return repr(value)
    return _string(str(value), style)


def _json(value: object, pad: str) -> str:
    """JSON text, indented; floats spelled by float_text (json.dumps writes `1e-07`)."""
    inner = pad + "  "
    if isinstance(value, Mapping) and value:
        pairs = (
            f"{inner}{json.dumps(k, ensure_ascii=False)}: {_json(v, inner)}"
            for k, v in value.items()
        )
        return "{\n" + ",\n".join(pairs) + "\n" + pad + "}"
    if isinstance(value, list | tuple) and value:
        return "[\n" + ",\n".join(inner + _json(item, inner) for item in value) + "\n" + pad + "]"
    if isinstance(value, float):
        return float_text(value)
    return json.dumps(value, ensure_ascii=False)


def _flow(value: object, style: _Style) -> str:
    if isinstance(value, Mapping):
        pairs = (f"{_string(k, style)}: {_flow(v, style)}" for k, v in _items(value, style))
        return "{" + ", ".join(pairs) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_flow(item, style) for item in value) + "]"
    return _scalar(value, style)


def _items(mapping: Mapping[str, object], style: _Style) -> list[tuple[str, object]]:
    items = list(mapping.items())
    return items[::-1] if style.reverse else items


def _block(
    value: Mapping[str, object] | list[object] | tuple[object, ...], indent: int, style: _Style
) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, Mapping):
        for key, item in _items(value, style):
            if style.comments:
                lines.append(f"{pad}# {len(lines)}")
            lines.extend(_entry(f"{pad}{_string(key, style)}:", item, indent, style))
        return lines
    for item in value:
        lines.extend(_entry(f"{pad}-", item, indent, style))
    return lines


def _entry(head: str, item: object, indent: int, style: _Style) -> list[str]:
    if isinstance(item, Mapping | list | tuple) and item:
        return [head, *_block(item, indent + 2, style)]
    if style.literal and isinstance(item, str) and _literal_ok(item):
        return _literal(head, item, indent + 2)
    tail = " # note" if style.comments else ""
    return [f"{head} {_flow(item, style)}{tail}"]


def _literal_ok(text: str) -> bool:
    printable = _ESCAPE.search(text.replace("\n", "")) is None
    return printable and "\n" in text and text.strip("\n") != ""


def _literal(head: str, text: str, indent: int) -> list[str]:
    if not text.endswith("\n"):
        chomp, body = "-", text
    else:
        chomp, body = ("+" if text.endswith("\n\n") else ""), text[:-1]
    pad = " " * indent
    lines = [pad + line if line else "" for line in body.split("\n")]
    return [f"{head} |2{chomp}", *lines]
