"""A regular expression compiled on first use, for patterns most runs never need.

`re.compile` of a Unicode character class costs 0.1-0.5 ms, and a module-level pattern is
compiled at import: for an ASCII file (the common case) the invisible-character and control
patterns never run, yet every cold start of `kfm-bot hash` paid about 1.3 ms for them.
"""

from __future__ import annotations

import re


class LazyPattern:
    """The methods of `re.Pattern` that the loaders use, compiling `source` once, when first
    called."""

    __slots__ = ("_compiled", "_source")

    def __init__(self, source: str) -> None:
        self._source = source
        self._compiled: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self._source)
        return self._compiled

    def search(self, text: str) -> re.Match[str] | None:
        return self.compiled().search(text)

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return self.compiled().fullmatch(text)
