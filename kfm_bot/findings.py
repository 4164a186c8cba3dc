"""The finding: one rule's verdict on one place, shared by every gate and loader."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTICE = "notice"


@dataclass(frozen=True, slots=True)
class Finding:
    """A rule id, a severity, an actionable message and, where known, a location.

    `line` and `column` are 1-based, as editors and GitHub annotations count them.
    """

    rule: str
    severity: Severity
    message: str
    path: str | None = None
    line: int | None = None
    column: int | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path or "", self.line or 0, self.column or 0, self.rule)


def error(
    rule: str,
    message: str,
    path: str | None = None,
    line: int | None = None,
    column: int | None = None,
) -> Finding:
    return Finding(rule, Severity.ERROR, message, path, line, column)


def warning(
    rule: str,
    message: str,
    path: str | None = None,
    line: int | None = None,
    column: int | None = None,
) -> Finding:
    return Finding(rule, Severity.WARNING, message, path, line, column)
