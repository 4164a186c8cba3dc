"""GitHub's check-run limits and the plain-text escaping of annotation fields."""

from __future__ import annotations

import re

MAX_OUTPUT_BYTES = 65_535  # output.summary and output.text, counted in bytes
ANNOTATIONS_PER_REQUEST = 50
MAX_ANNOTATIONS = 500
MAX_TITLE = 255
MAX_MESSAGE = 4_000

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
_MENTION = re.compile(r"@(?=[A-Za-z0-9])")


def clip_bytes(text: str, limit: int = MAX_OUTPUT_BYTES, note: str = "\n\n… (truncated)") -> str:
    """Text cut on a character boundary so its UTF-8 form fits `limit` bytes, with a note."""
    raw = text.encode("utf-8")
    if len(raw) <= limit:
        return text
    room = limit - len(note.encode("utf-8"))
    return raw[: max(room, 0)].decode("utf-8", "ignore") + note


def plain(text: str, limit: int = MAX_MESSAGE) -> str:
    """An annotation message or title: no control characters, no @-mentions, no workflow command."""
    flat = _CONTROL.sub("\ufffd", text).replace("::", ":\u200b:")
    flat = _MENTION.sub("@\u200b", flat)
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
