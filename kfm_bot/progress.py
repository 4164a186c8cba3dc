"""One progress line on a terminal for long work (`check`, zone verification).

`label: done/total, detail`, redrawn in place on stderr, and only when a person is watching:
stderr is a terminal, and (for the default stream) no CI variable says the terminal is a CI
runner's pseudo-terminal, and TERM is not `dumb`. Piped, redirected or in CI logs it writes
nothing at all, so logs and captured output stay byte-for-byte what they were.
"""

from __future__ import annotations

import os
import sys
import threading
from typing import TextIO

_CLEAR = "\x1b[K"  # erase to the end of the line: a shorter redraw leaves no tail behind


def interactive(stream: TextIO, explicit: bool = False) -> bool:
    """Whether to draw on `stream`. A caller that hands its own stream has decided already."""
    try:
        if not stream.isatty():
            return False
    except (AttributeError, ValueError):  # a closed or odd stream: stay quiet
        return False
    if explicit:
        return True
    ci = os.environ.get("CI", "").strip().lower()
    return ci in ("", "0", "false") and os.environ.get("TERM") != "dumb"


class Progress:
    """Thread-safe (zone verification counts from a pool). `keep`: end with a newline so the
    final count stays on screen; otherwise the line is erased, leaving the output alone."""

    def __init__(
        self, label: str, total: int, stream: TextIO | None = None, keep: bool = False
    ) -> None:
        self.label, self.total, self.done, self.keep = label, total, 0, keep
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = interactive(self.stream, explicit=stream is not None)
        self._lock = threading.Lock()
        self._drawn = False

    def show(self, detail: str = "") -> None:
        """Redraw with what is being worked on now, without counting it done."""
        with self._lock:
            self._draw(detail)

    def advance(self, detail: str = "") -> None:
        """One more unit done; at the total, the line ends."""
        with self._lock:
            self.done += 1
            self._draw(detail)
            if self.done >= self.total:
                self._end()

    def close(self) -> None:
        """End the line early (the work stopped before its total)."""
        with self._lock:
            self._end()

    def _draw(self, detail: str) -> None:
        if not self.enabled or self.total <= 0:
            return
        tail = f", {detail}" if detail else ""
        self.stream.write(
            f"\r{self.label}: {min(self.done, self.total)}/{self.total}{tail}{_CLEAR}"
        )
        self.stream.flush()
        self._drawn = True

    def _end(self) -> None:
        if self._drawn:
            self.stream.write("\n" if self.keep else "\r" + _CLEAR)
            self.stream.flush()
            self._drawn = False
