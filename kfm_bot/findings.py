"""The finding: one rule's verdict on one place, shared by every gate and loader.

`Finding` is written out by hand rather than as a dataclass: `dataclasses` imports `inspect`
(and with it `ast`, `dis` and `tokenize`), about 5 ms of every cold start of `kfm-bot hash`,
which needs nothing else from it. It behaves as `@dataclass(frozen=True, slots=True)` would:
positional or keyword construction, equality and hashing by value, a readable repr, no
assignment after construction; `replace` stands in for `dataclasses.replace`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NoReturn


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTICE = "notice"


_FIELDS = ("rule", "severity", "message", "path", "line", "column")


class Finding:
    """A rule id, a severity, an actionable message and, where known, a location.

    `line` and `column` are 1-based, as editors and GitHub annotations count them.
    """

    __slots__ = ("column", "line", "message", "path", "rule", "severity")
    __match_args__ = ("rule", "severity", "message", "path", "line", "column")

    rule: str
    severity: Severity
    message: str
    path: str | None
    line: int | None
    column: int | None

    def __init__(
        self,
        rule: str,
        severity: Severity,
        message: str,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        init = object.__setattr__
        init(self, "rule", rule)
        init(self, "severity", severity)
        init(self, "message", message)
        init(self, "path", path)
        init(self, "line", line)
        init(self, "column", column)

    def _values(self) -> tuple[str, Severity, str, str | None, int | None, int | None]:
        return (self.rule, self.severity, self.message, self.path, self.line, self.column)

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"cannot assign to field {name!r}: a Finding is immutable")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"cannot delete field {name!r}: a Finding is immutable")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Finding)  # for mypy: the line above proved it
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{name}={value!r}" for name, value in zip(_FIELDS, self._values(), strict=True)
        )
        return f"Finding({shown})"

    def __reduce__(self) -> tuple[type[Finding], tuple[object, ...]]:
        return (Finding, self._values())  # copy and pickle rebuild through __init__

    def replace(self, **changes: object) -> Finding:
        """A copy with some fields changed (as `dataclasses.replace` would make)."""
        unknown = set(changes) - set(_FIELDS)
        if unknown:
            raise TypeError(f"Finding has no field {sorted(unknown)[0]!r}")
        values: dict[str, object] = dict(zip(_FIELDS, self._values(), strict=True))
        values.update(changes)
        return Finding(**values)  # type: ignore[arg-type]  # field types: the caller's to keep

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
