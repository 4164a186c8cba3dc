"""Build a JSON value from a YAML event stream, refusing every construct strict YAML forbids.

Parser-agnostic: `strict_yaml` feeds it events from the C or the pure ruamel.yaml parser and
a map from event class to the kind codes below. With `index=True` it also records where every
value and key sits, which `Loaded.locate` asks for only when a finding needs a line.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kfm_bot.findings import Finding, error
from kfm_bot.yaml_guard import MAX_DEPTH
from kfm_bot.yaml_invisible import invisible_problem
from kfm_bot.yaml_scalars import resolve_plain

SCALAR, MAP_START, SEQ_START, END, ALIAS, DOC_START, OTHER = range(7)
MAX_FINDINGS = 50
MAX_PER_RULE = 5  # an alias bomb has hundreds of aliases; five say it all
UNSET: Any = object()
_NO_KEY: Any = object()
Pointer = tuple[str | int, ...]


class Stop(Exception):
    """Raised inside the walk when going on would be meaningless or unbounded."""


class Builder:
    """One pass over one document stream; `root`, `docs` and `findings` hold the result."""

    def __init__(self, path: str, kinds: dict[type, int], scan: bool, index: bool) -> None:
        self.path, self.kinds, self.scan = path, kinds, scan
        self.findings: list[Finding] = []
        self.root: Any = UNSET
        self.root_plain_empty = False
        self.docs = 0
        self.values: dict[Pointer, tuple[int, int]] | None = {} if index else None
        self.keys: dict[Pointer, tuple[int, int]] = {}
        self._path: list[str | int] = []
        self._key_mark: tuple[int, int] = (1, 1)
        self._per_rule: dict[str, int] = {}

    def add(self, rule: str, message: str, event: Any) -> None:
        seen = self._per_rule[rule] = self._per_rule.get(rule, 0) + 1
        if seen > MAX_PER_RULE:
            if seen > MAX_PER_RULE + 1:
                return
            message = f"more findings of this kind follow (first {MAX_PER_RULE} shown); fix those"
        mark = event.start_mark
        self.findings.append(error(rule, message, self.path, mark.line + 1, mark.column + 1))
        if len(self.findings) >= MAX_FINDINGS:
            raise Stop

    def run(self, events: Iterable[Any]) -> None:
        kinds = self.kinds
        stack: list[Any] = []
        pending: list[Any] = []  # per open container: the key awaiting its value, or None
        for event in events:
            kind = kinds.get(type(event), OTHER)
            if kind == SCALAR:
                if event.anchor is not None or event.tag is not None:
                    self._properties(event)
                if stack and pending[-1] is _NO_KEY:
                    pending[-1] = self._key(stack[-1], event)
                else:
                    self._attach(stack, pending, self._scalar(event, pending), event)
            elif kind == END:
                stack.pop()
                pending.pop()
                if self.values is not None:
                    self._path.pop()
            elif kind in (MAP_START, SEQ_START):
                self._open(stack, pending, event, {} if kind == MAP_START else [])
            elif kind == ALIAS:
                self.add(
                    "A.yaml-alias",
                    f"alias *{event.anchor} is not allowed; write the value out",
                    event,
                )
                if stack and pending[-1] is _NO_KEY:
                    raise Stop
                self._attach(stack, pending, None, event)
            elif kind == DOC_START:
                self._document(event)

    def _open(self, stack: list[Any], pending: list[Any], event: Any, container: Any) -> None:
        if event.anchor is not None or event.tag is not None:
            self._properties(event)
        if stack and pending[-1] is _NO_KEY:
            self.add(
                "A.yaml-complex-key", "keys must be plain strings, not mappings or lists", event
            )
            raise Stop
        if len(stack) >= MAX_DEPTH:
            self.add(
                "A.yaml-too-deep", f"nesting deeper than {MAX_DEPTH} levels; flatten it", event
            )
            raise Stop
        slot = self._slot(stack, pending)
        self._attach(stack, pending, container, event)
        stack.append(container)
        pending.append(_NO_KEY if type(container) is dict else None)
        if self.values is not None:
            self._path.append(slot)

    def _slot(self, stack: list[Any], pending: list[Any]) -> str | int:
        if not stack:
            return ""
        return len(stack[-1]) if pending[-1] is None else pending[-1]

    def _attach(self, stack: list[Any], pending: list[Any], value: Any, event: Any) -> None:
        if self.values is not None:
            self._record(stack, pending, event)
        if not stack:
            if self.root is UNSET:
                self.root = value
                self.root_plain_empty = _is_plain_empty(event)
            return
        key = pending[-1]
        if key is None:
            stack[-1].append(value)
        else:
            stack[-1][key] = value
            pending[-1] = _NO_KEY

    def _record(self, stack: list[Any], pending: list[Any], event: Any) -> None:
        assert self.values is not None
        pointer: Pointer = ()
        if stack:
            pointer = (*self._path[1:], self._slot(stack, pending))
            if pending[-1] is not None:
                self.keys[pointer] = self._key_mark
        mark = event.start_mark
        self.values.setdefault(pointer, (mark.line + 1, mark.column + 1))

    def _scalar(self, event: Any, pending: list[Any]) -> Any:
        value = event.value
        if not event.style:
            value, problem = resolve_plain(value)
            if problem is not None:
                self.add(problem[0], problem[1], event)
                return None
            if type(value) is not str:
                return value
        if self.scan or event.style == '"':
            key = pending[-1] if pending and type(pending[-1]) is str else None
            self._invisible(value, key, False, event)
        return value

    def _key(self, mapping: dict[str, Any], event: Any) -> Any:
        key: Any = event.value
        if not event.style:
            key, problem = resolve_plain(event.value)
            if problem is not None and problem[0] in ("A.yaml-ambiguous-bool", "A.yaml-merge-key"):
                self.add(problem[0], problem[1], event)
                return object()
            if problem is not None or type(key) is not str:
                fix = "quote it: '" + event.value.replace("'", "''") + "'"
                self.add(
                    "A.yaml-non-string-key",
                    f"key {event.value or 'null'} is not a string; {fix}",
                    event,
                )
                return object()
        if self.scan or event.style == '"':
            self._invisible(key, None, True, event)
        if key in mapping:
            self.add("A.yaml-duplicate-key", f"duplicate key '{key}'; keep only one of them", event)
        mark = event.start_mark
        self._key_mark = (mark.line + 1, mark.column + 1)
        return key

    def _invisible(self, value: str, key: str | None, is_key: bool, event: Any) -> None:
        message = invisible_problem(value, key, is_key)
        if message is not None:
            self.add("A.yaml-invisible-char", message, event)

    def _properties(self, event: Any) -> None:
        if event.anchor is not None:
            self.add(
                "A.yaml-anchor",
                f"anchor &{event.anchor} is not allowed; write the value out",
                event,
            )
        if event.tag is not None:
            self.add(
                "A.yaml-tag",
                f"tag {event.tag} is not allowed; remove it (quote strings instead)",
                event,
            )

    def _document(self, event: Any) -> None:
        self.docs += 1
        if self.docs > 1:
            self.add(
                "A.yaml-multi-document", "more than one YAML document; keep exactly one", event
            )
            raise Stop
        if getattr(event, "version", None) or getattr(event, "tags", None):
            self.add(
                "A.yaml-directive",
                "%YAML and %TAG directives are not allowed; delete the line",
                event,
            )


def _is_plain_empty(event: Any) -> bool:
    return not getattr(event, "style", "x") and getattr(event, "value", None) == ""
