"""Lighter event objects for the C parser: a third of the cost of parsing many small files.

`_ruamel_yaml.CParser` makes each event by calling the class its module names, at call time
(`ScalarEvent(anchor, tag, implicit, value, start_mark, end_mark, style)`), and ruamel's
classes run three `__init__`s each (Event, NodeEvent, ScalarEvent) plus a property for `tag`.
While `yaml.strict` reads one document through the C parser, `light()` has the module name
the classes below instead: one `__init__`, plain slots, and only what `yaml.build` and
`yaml.rules` read. The C parser gives `tag` as a `str` or None, which is what ruamel's
`tag` property returns for it, so a builder sees the same values.

This leans on how the extension looks names up, so it is proven before it is used:
`usable()` parses a probe document both ways and compares every event field the builder
reads; when the extension changes (names bound at import, other arguments), the swap is
never made and ruamel's own classes are used, as before.
"""

from __future__ import annotations

from functools import cache
from types import ModuleType
from typing import Any

__all__ = ["KINDS", "light", "usable"]


class Scalar:
    __slots__ = ("anchor", "end_mark", "implicit", "start_mark", "style", "tag", "value")

    def __init__(
        self,
        anchor: Any,
        tag: Any,
        implicit: Any,
        value: Any,
        start_mark: Any = None,
        end_mark: Any = None,
        style: Any = None,
        comment: Any = None,
    ) -> None:
        self.anchor = anchor
        self.tag = tag
        self.implicit = implicit
        self.value = value
        self.start_mark = start_mark
        self.end_mark = end_mark
        self.style = style


class _CollectionStart:
    # No `style`: `Builder._attach` tells a scalar from a collection by its absence.
    __slots__ = ("anchor", "end_mark", "flow_style", "implicit", "start_mark", "tag")

    def __init__(
        self,
        anchor: Any,
        tag: Any,
        implicit: Any,
        start_mark: Any = None,
        end_mark: Any = None,
        flow_style: Any = None,
        comment: Any = None,
        nr_items: Any = None,
    ) -> None:
        self.anchor = anchor
        self.tag = tag
        self.implicit = implicit
        self.start_mark = start_mark
        self.end_mark = end_mark
        self.flow_style = flow_style


class MappingStart(_CollectionStart):
    __slots__ = ()


class SequenceStart(_CollectionStart):
    __slots__ = ()


class _End:
    __slots__ = ("end_mark", "start_mark")

    def __init__(self, start_mark: Any = None, end_mark: Any = None, comment: Any = None) -> None:
        self.start_mark = start_mark
        self.end_mark = end_mark


class MappingEnd(_End):
    __slots__ = ()


class SequenceEnd(_End):
    __slots__ = ()


# The ruamel class each one stands in for, by the name the extension calls.
_SWAP = {
    "ScalarEvent": Scalar,
    "MappingStartEvent": MappingStart,
    "SequenceStartEvent": SequenceStart,
    "MappingEndEvent": MappingEnd,
    "SequenceEndEvent": SequenceEnd,
}
KINDS = {
    Scalar: "ScalarEvent",
    MappingStart: "MappingStartEvent",
    SequenceStart: "SequenceStartEvent",
    MappingEnd: "MappingEndEvent",
    SequenceEnd: "SequenceEndEvent",
}
# Every kind of event, properties, styles and flow collections: what must read the same.
_PROBE = (
    b"a: plain\n'b': 'single'\n\"c\": \"double\"\nd: |\n  literal\ne: >-\n  folded\n"
    b"f: [1, x, {g: h}]\ni: !!str 1\nj: &k {l: m}\nn: *k\no:\n  - p\n  - {}\n  - []\n"
)
_FIELDS = ("anchor", "tag", "implicit", "value", "style", "flow_style")


class light:
    """While inside, the C parser of `module` (`_ruamel_yaml`) makes the lighter events.

    A class rather than a `@contextmanager` generator: it is entered once per document."""

    __slots__ = ("_module", "_saved")

    def __init__(self, module: ModuleType) -> None:
        self._module = module
        self._saved = _originals()

    def __enter__(self) -> None:
        for name, cls in _SWAP.items():
            setattr(self._module, name, cls)

    def __exit__(self, *exc: object) -> None:
        for name, cls in self._saved:
            setattr(self._module, name, cls)


@cache
def _originals() -> tuple[tuple[str, type], ...]:
    """ruamel's classes, restored from ruamel's own module, never from what is bound now: a
    nested or interrupted swap cannot leave the light classes behind."""
    from ruamel.yaml import events

    return tuple((name, getattr(events, name)) for name in _SWAP)


@cache
def usable(module: ModuleType) -> bool:
    """Whether the swap works on this extension and gives the same fields as ruamel's events."""
    try:
        from ruamel.yaml import events

        if not all(getattr(module, name, None) is getattr(events, name) for name in _SWAP):
            return False
        plain = list(iter(module.CParser(_PROBE).get_event, None))
        with light(module):
            swapped = list(iter(module.CParser(_PROBE).get_event, None))
    except Exception:  # any surprise: keep ruamel's classes
        return False
    if len(plain) != len(swapped):
        return False
    return all(_same(a, b) for a, b in zip(plain, swapped, strict=True))


def _same(plain: Any, swapped: Any) -> bool:
    name = type(plain).__name__
    if name in _SWAP and KINDS.get(type(swapped)) != name:
        return False
    if name not in _SWAP and type(swapped) is not type(plain):
        return False
    marks = [(m.line, m.column) for m in (plain.start_mark, swapped.start_mark)]
    return marks[0] == marks[1] and all(
        getattr(plain, f, None) == getattr(swapped, f, None) for f in _FIELDS
    )
