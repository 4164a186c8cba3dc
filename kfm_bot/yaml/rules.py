"""The strict-YAML rules applied to single events: each refusal becomes a located finding."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol

from kfm_bot.findings import Finding, error
from kfm_bot.yaml.guard import MAX_DEPTH
from kfm_bot.yaml.invisible import invisible_problem
from kfm_bot.yaml.scalars import resolve_plain

if TYPE_CHECKING:
    from kfm_bot.models.json_types import JSONScalar

MAX_FINDINGS = 50
MAX_PER_RULE = 5  # an alias bomb has hundreds of aliases; five say it all
_SURROGATE = re.compile("[\ud800-\udfff]")
_KEY_PROBLEMS_KEPT = ("A.yaml-ambiguous-bool", "A.yaml-merge-key")


class Mark(Protocol):
    line: int  # 0-based, as the parsers count
    column: int


class Event(Protocol):
    """What is read of a ruamel.yaml parser event (the C parser's events carry no types).

    Every event has a `start_mark`; `anchor` and `tag` only node events, `value` and `style`
    only scalars and aliases: the kind code of `yaml.build` decides which is read, and
    `getattr` reads the rest (a document start's directives, a collection's missing style).
    """

    start_mark: Mark
    anchor: str | None
    tag: str | None
    value: str
    style: str | None


class Stop(Exception):
    """Raised inside the walk when going on would be meaningless or unbounded."""


class Rules:
    """Findings of one file, capped; `scan` says whether invisible characters may be present."""

    def __init__(self, path: str, scan: bool) -> None:
        self.path, self.scan = path, scan
        self.findings: list[Finding] = []
        self.docs = 0
        self._per_rule: dict[str, int] = {}

    def add(self, rule: str, message: str, event: Event) -> None:
        seen = self._per_rule[rule] = self._per_rule.get(rule, 0) + 1
        if seen > MAX_PER_RULE + 1:
            return
        if seen > MAX_PER_RULE:
            message = f"more findings of this kind follow (first {MAX_PER_RULE} shown); fix those"
        mark = event.start_mark
        self.findings.append(error(rule, message, self.path, mark.line + 1, mark.column + 1))
        if len(self.findings) >= MAX_FINDINGS:
            raise Stop

    def scalar(self, event: Event, key: str | None) -> JSONScalar:
        """The JSON value of a scalar event in value position (None when refused)."""
        text = event.value
        if not event.style:
            value, problem = resolve_plain(text)
            if problem is not None:
                self.add(problem[0], problem[1], event)
                return None
            if type(value) is not str:
                return value
            # a plain string resolves to itself: `text` goes on
        if self.scan or event.style == '"':
            self.invisible(text, key, False, event)
            self.surrogates(text, event)
        return text

    def key(self, mapping: Mapping[str, object], event: Event) -> str | object:
        """The key of a scalar event in key position; a fresh object() when refused."""
        text = event.value
        if not event.style:
            key, problem = resolve_plain(text)
            if problem is not None and problem[0] in _KEY_PROBLEMS_KEPT:
                self.add(problem[0], problem[1], event)
                return object()
            if problem is not None or type(key) is not str:
                fix = "quote it: '" + text.replace("'", "''") + "'"
                message = f"key {text or 'null'} is not a string; {fix}"
                self.add("A.yaml-non-string-key", message, event)
                return object()
            # a plain string resolves to itself: `text` goes on
        if self.scan or event.style == '"':
            self.invisible(text, None, True, event)
            self.surrogates(text, event)
        if text in mapping:
            self.add(
                "A.yaml-duplicate-key", f"duplicate key '{text}'; keep only one of them", event
            )
        return text

    def invisible(self, value: str, key: str | None, is_key: bool, event: Event) -> None:
        message = invisible_problem(value, key, is_key)
        if message is not None:
            self.add("A.yaml-invisible-char", message, event)

    def surrogates(self, value: str, event: Event) -> None:
        """`"\\ud800"` escapes a lone surrogate, which no UTF-8 (or JSON hash) can hold."""
        if _SURROGATE.search(value) is not None:
            message = "escape of a lone surrogate (U+D800-U+DFFF); write the character itself"
            self.add("A.yaml-control-char", message, event)

    def properties(self, event: Event) -> None:
        if event.anchor is not None:
            message = f"anchor &{event.anchor} is not allowed; write the value out"
            self.add("A.yaml-anchor", message, event)
        if event.tag is not None:
            message = f"tag {event.tag} is not allowed; remove it (quote strings instead)"
            self.add("A.yaml-tag", message, event)

    def alias(self, event: Event) -> None:
        message = f"alias *{event.anchor} is not allowed; write the value out"
        self.add("A.yaml-alias", message, event)

    def collection(self, event: Event, as_key: bool, depth: int) -> None:
        """Checks on a mapping or sequence start; stops the walk when it cannot go on."""
        if event.anchor is not None or event.tag is not None:
            self.properties(event)
        if as_key:
            message = "keys must be plain strings, not mappings or lists"
            self.add("A.yaml-complex-key", message, event)
            raise Stop
        if depth >= MAX_DEPTH:
            message = f"nesting deeper than {MAX_DEPTH} levels; flatten it"
            self.add("A.yaml-too-deep", message, event)
            raise Stop

    def document(self, event: Event) -> None:
        self.docs += 1
        if self.docs > 1:
            message = "more than one YAML document; keep exactly one"
            self.add("A.yaml-multi-document", message, event)
            raise Stop
        if getattr(event, "version", None) or getattr(event, "tags", None):
            message = "%YAML and %TAG directives are not allowed; delete the line"
            self.add("A.yaml-directive", message, event)
