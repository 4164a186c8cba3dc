"""Check a source id or dataset slug typed on the command line, saying where it goes wrong."""

from __future__ import annotations

import re

from kfm_bot.errors import UsageError
from kfm_bot.models.patterns import DATASET_SLUG_PATTERN, SOURCE_ID_PATTERN

# kind -> (full pattern, allowed characters, first-character class, last, min len, max len, words)
_RULES = {
    "source id": (
        SOURCE_ID_PATTERN, "[a-z0-9-]", "[a-z0-9]", "[a-z0-9]", 3, 64,
        "lowercase letters, digits and hyphens, starting and ending with a letter or digit",
    ),
    "dataset slug": (
        DATASET_SLUG_PATTERN, "[a-z0-9_]", "[a-z]", "[a-z0-9_]", 3, 64,
        "lowercase letters, digits and underscores, starting with a letter",
    ),
}  # fmt: skip


def check_id(kind: str, value: str) -> str:
    """`value` when it is a valid `kind`; else a UsageError naming the first bad character by
    its position (1-based), or the length, and the rule."""
    pattern, allowed, first, last, shortest, longest, words = _RULES[kind]
    if re.fullmatch(pattern, value):
        return value
    shown = value.encode("unicode_escape").decode("ascii")[:80]
    where = ""
    for i, char in enumerate(value):
        ok = re.fullmatch(first if i == 0 else allowed, char)
        if i == len(value) - 1 and ok and len(value) > 1:
            ok = re.fullmatch(last, char)
        if not ok:
            name = char.encode("unicode_escape").decode("ascii")
            where = f": character {i + 1} `{name}` is not allowed there"
            break
    if not where and not shortest <= len(value) <= longest:
        where = f": it has {len(value)} characters, not {shortest} to {longest}"
    raise UsageError(f"{kind} `{shown}`{where} ({words}; {shortest} to {longest} characters)")
