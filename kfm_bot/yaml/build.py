"""Build a JSON value from a YAML event stream, applying `yaml.rules` to every event.

Parser-agnostic: `yaml.strict` feeds it events from the C or the pure ruamel.yaml parser and
a map from event class to the kind codes below. With `index=True` it also records where every
value and key sits, which `Loaded.locate` asks for only when a finding needs a line.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final

from kfm_bot.yaml.rules import MAX_FINDINGS, Event, Rules, Stop
from kfm_bot.yaml.scalars import NUMERIC_FIRST, RESERVED_WORDS

if TYPE_CHECKING:
    from kfm_bot.models.json_types import JSONValue

__all__ = ["MAX_FINDINGS", "UNSET", "Builder", "Event", "Pointer", "Stop"]

SCALAR, MAP_START, SEQ_START, END, ALIAS, DOC_START, OTHER = range(7)
UNSET: Final = object()
_NO_KEY: Final = object()
Pointer = tuple[str | int, ...]
# The open containers and, beside each, the key awaiting its value (None in a list, _NO_KEY
# before a key, a fresh object() for a refused key). Which one `stack[-1]` is follows from
# `pending[-1]`, a pairing mypy cannot see without an isinstance per event: `Any` here.
_Stack = list[Any]
_Pending = list[Any]


class Builder(Rules):
    """One pass over one event stream; `root`, `docs` and `findings` hold the result."""

    # False sends every event through the rule methods: the reference the inline path of
    # `run` is tested against (tests/test_check_all_equivalence.py).
    inline = True

    def __init__(self, path: str, kinds: dict[type, int], scan: bool, index: bool) -> None:
        super().__init__(path, scan)
        self.kinds = kinds
        self.root: object = UNSET  # the JSON value, once one is attached
        self.root_plain_empty = False
        self.values: dict[Pointer, tuple[int, int]] | None = {} if index else None
        self.keys: dict[Pointer, tuple[int, int]] = {}
        self._path: list[str | int] = []
        self._key_mark: tuple[int, int] = (1, 1)

    def run(self, events: Iterable[Event]) -> None:
        kinds = self.kinds
        stack: _Stack = []
        pending: _Pending = []
        # The common event, a plain scalar that can only be a string (no anchor or tag, not
        # the first scalar, nothing invisible to scan for, no positions wanted), is handled
        # inline: what `key`/`scalar` and `_attach` would do, without the calls. A plain
        # text that is not a reserved word (null, booleans) and does not start like a
        # number resolves to itself (see `scalars.resolve_plain`).
        fast = self.inline and not self.scan and self.values is None
        for event in events:
            kind = kinds.get(type(event), OTHER)
            if kind == SCALAR:
                text = event.value
                if (
                    fast
                    and stack
                    and not event.style
                    and text
                    and text[0] not in NUMERIC_FIRST
                    and text not in RESERVED_WORDS
                    and event.anchor is None
                    and event.tag is None
                ):
                    top, slot = stack[-1], pending[-1]
                    if slot is _NO_KEY:
                        if text in top:  # a duplicate: the slow path reports it
                            pending[-1] = self._key(top, event)
                        else:
                            pending[-1] = text
                    elif slot is None:
                        top.append(text)
                    else:
                        top[slot] = text
                        pending[-1] = _NO_KEY
                    continue
                if event.anchor is not None or event.tag is not None:
                    self.properties(event)
                if stack and pending[-1] is _NO_KEY:
                    pending[-1] = self._key(stack[-1], event)
                else:
                    key = pending[-1] if pending and type(pending[-1]) is str else None
                    self._attach(stack, pending, self.scalar(event, key), event)
            elif kind == END:
                stack.pop()
                pending.pop()
                if self.values is not None:
                    self._path.pop()
            elif kind in (MAP_START, SEQ_START):
                self._open(stack, pending, event, {} if kind == MAP_START else [])
            elif kind == ALIAS:
                self.alias(event)
                if stack and pending[-1] is _NO_KEY:
                    raise Stop
                self._attach(stack, pending, None, event)
            elif kind == DOC_START:
                self.document(event)

    def _key(self, mapping: Mapping[str, object], event: Event) -> object:
        if self.values is not None:
            mark = event.start_mark
            self._key_mark = (mark.line + 1, mark.column + 1)
        return self.key(mapping, event)

    def _open(self, stack: _Stack, pending: _Pending, event: Event, container: JSONValue) -> None:
        self.collection(event, bool(stack) and pending[-1] is _NO_KEY, len(stack))
        slot = self._slot(stack, pending)
        self._attach(stack, pending, container, event)
        stack.append(container)
        pending.append(_NO_KEY if type(container) is dict else None)
        if self.values is not None:
            self._path.append(slot)

    def _slot(self, stack: _Stack, pending: _Pending) -> str | int:
        if not stack:
            return ""
        return len(stack[-1]) if pending[-1] is None else pending[-1]

    def _attach(self, stack: _Stack, pending: _Pending, value: JSONValue, event: Event) -> None:
        if self.values is not None:
            self._record(stack, pending, event)
        if not stack:
            if self.root is UNSET:
                self.root = value
                self.root_plain_empty = not getattr(event, "style", "x") and event.value == ""
            return
        key = pending[-1]
        if key is None:
            stack[-1].append(value)
        else:
            stack[-1][key] = value
            pending[-1] = _NO_KEY

    def _record(self, stack: _Stack, pending: _Pending, event: Event) -> None:
        assert self.values is not None
        pointer: Pointer = ()
        if stack:
            pointer = (*self._path[1:], self._slot(stack, pending))
            if pending[-1] is not None:
                self.keys.setdefault(pointer, self._key_mark)
        mark = event.start_mark
        self.values.setdefault(pointer, (mark.line + 1, mark.column + 1))
