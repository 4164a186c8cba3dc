"""Spot text that reads as a `/kfm` command but is not its exact ASCII spelling."""

from __future__ import annotations

import re
import unicodedata

_EXACT = re.compile(r"^ {0,3}/kfm[ \t]+(approve|revoke|hold|unhold)(?=[ \t]|$)")
# Letters that render like the ASCII ones in `/kfm approve|revoke|hold|unhold` (Cyrillic,
# Greek, Latin extensions), plus slash and space look-alikes NFKC leaves alone.
_CONFUSABLES = str.maketrans(
    {
        "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "х": "x", "у": "y", "к": "k",
        "м": "m", "т": "t", "в": "b", "ѵ": "v", "һ": "h", "і": "i", "ј": "j", "ԁ": "d",
        "ӏ": "l", "ո": "n", "ս": "u", "ν": "v", "ο": "o", "κ": "k", "ρ": "p", "η": "n",
        "υ": "u", "α": "a", "ε": "e", "ɑ": "a", "ɡ": "g", "ı": "i", "ℓ": "l", "ǀ": "l",
        "∕": "/", "⁄": "/", "⧸": "/", "╱": "/", "〳": "/", "ⁱ": "i",
        "\u00a0": " ", "\u2000": " ", "\u2001": " ", "\u2002": " ", "\u2003": " ",
        "\u2007": " ", "\u2009": " ", "\u200a": " ", "\u202f": " ", "\u3000": " ",
    }
)  # fmt: skip


def skeleton(text: str) -> str:
    """NFKC, without format characters (zero-width, bidi), confusables mapped, lowercase."""
    folded = unicodedata.normalize("NFKC", text)
    visible = "".join(ch for ch in folded if unicodedata.category(ch) != "Cf")
    return visible.translate(_CONFUSABLES).lower()


def looks_like_command(line: str) -> bool:
    """True when the line is not an exact command but its skeleton is one."""
    if _EXACT.match(line):
        return False
    candidate = skeleton(line.lstrip())
    return bool(_EXACT.match(candidate)) or bool(_EXACT.match(skeleton(line)))
