"""Invisible characters that make two different ids look the same (rule A.yaml-invisible-char).

Decision: bidirectional controls ("trojan source": U+061C, U+200E/F, U+202A-E, U+2066-9)
are refused anywhere in a file, comments included, because they reorder what a reviewer sees;
so is a raw U+FEFF after the start of the file (`yaml.guard`). Zero-width characters (U+180E,
U+200B-D, U+2060, an escaped U+FEFF) are refused in keys and in id-like values: the value of
a key named `id`, `*_id`, `*_ids`, `slug`, `*_slug`, `spdx`, `sources`, `stewards`, or any
value that is a single token without spaces (ids, paths, URLs, digests, logins). Free text
keeps them: Persian, Indic scripts and emoji sequences need the zero-width (non-)joiner.
"""

from __future__ import annotations

from kfm_bot.yaml.lazy_pattern import LazyPattern

# Compiled on first use: an ASCII file never needs them (see lazy_pattern.py).
BIDI = LazyPattern("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
ZERO_WIDTH = LazyPattern("[\u180e\u200b-\u200d\u2060\ufeff]")
ANY_INVISIBLE = LazyPattern("[\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")
_ID_KEY = LazyPattern(r"(?:.*_)?(?:id|ids|slug)|spdx|sources|stewards")
_TOKEN = LazyPattern("[\x21-\x7e\u180e\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]+")


def _describe(char: str) -> str:
    return f"U+{ord(char):04X}"


def invisible_problem(value: str, key: str | None, is_key: bool) -> str | None:
    """A message when `value` (a key, or the value under `key`) carries a forbidden character."""
    bidi = BIDI.search(value)
    if bidi is not None:
        code = _describe(bidi.group())
        return f"bidirectional control {code} can hide what the text says; delete it"
    zero = ZERO_WIDTH.search(value)
    if zero is None:
        return None
    id_like = is_key or _TOKEN.fullmatch(value) is not None
    id_like = id_like or (key is not None and _ID_KEY.fullmatch(key) is not None)
    if not id_like:
        return None
    what = "a key" if is_key else "an id-like value"
    code = _describe(zero.group())
    return f"zero-width character {code} in {what} makes it look like another; delete it"
