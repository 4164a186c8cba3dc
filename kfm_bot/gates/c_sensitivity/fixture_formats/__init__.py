"""One scanner per fixture format for gate C; each reads decoded content, never raw bytes."""

from __future__ import annotations


class Uninspectable(Exception):
    """The fixture cannot be read as its format claims: gate C fails closed, at this place."""

    def __init__(self, reason: str, line: int = 1, column: int = 1) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.column = column
