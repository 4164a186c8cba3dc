"""Strict YAML loading (DESIGN.md section 4): the only module that imports ruamel.yaml.

Bytes pass `yaml.guard` (size, encoding, flow depth) before any parser runs; the C parser's
event stream (pure-Python parser when the C extension is missing) goes through
`yaml.build.Builder`, which makes the JSON value and the findings. Positions are not kept on
the fast path: `Loaded.locate` re-reads the events once, lazily, to build a position index.

libyaml refuses some valid YAML 1.2 that ruamel.yaml itself emits: a colon inside a plain
scalar in a flow collection (`{digest: sha256:ab}`, `[https://x.org]`). Only when the C
parser refuses is the document read again by the pure parser, whose reading then stands (its
findings too), so the fast path stays fast and both parsers give one meaning to a file.
"""

from __future__ import annotations

import importlib
import marshal
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, NoReturn

from kfm_bot.findings import Finding, error
from kfm_bot.yaml.build import MAX_FINDINGS, Builder, Event, Pointer, Stop
from kfm_bot.yaml.guard import MAX_BYTES, MAX_DEPTH, check_bytes, strip_bom
from kfm_bot.yaml.invisible import ANY_INVISIBLE

if TYPE_CHECKING:
    from kfm_bot.models.json_types import JSONObject

__all__ = ["MAX_BYTES", "MAX_DEPTH", "Loaded", "load_file", "load_strict", "pack", "unpack"]


class Loaded:
    """A strictly loaded YAML file: its JSON value (None when rejected) and located findings.

    Immutable and compared by `path`, `data` and `findings`, like the frozen dataclass it
    was; written by hand because `dataclasses` costs `kfm-bot hash` ~5 ms of start-up (it
    imports `inspect`)."""

    __slots__ = ("_body", "_index", "_pure", "_source", "data", "findings", "path")

    path: str
    data: JSONObject | None
    findings: tuple[Finding, ...]
    _body: bytes
    _pure: bool
    _index: list[Builder]
    # For a document unpacked from `pack` (no body kept): reads the file's bytes again, only
    # when a finding needs a position.
    _source: Callable[[], bytes] | None

    def __init__(
        self,
        path: str,
        data: JSONObject | None,
        findings: tuple[Finding, ...],
        _body: bytes = b"",
        _pure: bool = False,
        _source: Callable[[], bytes] | None = None,
    ) -> None:
        init = object.__setattr__
        init(self, "path", path)
        init(self, "data", data)
        init(self, "findings", findings)
        init(self, "_body", _body)
        init(self, "_pure", _pure)
        init(self, "_index", [])  # filled once, by _positions
        init(self, "_source", _source)

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"cannot assign to field {name!r}: a Loaded is immutable")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Loaded):
            return NotImplemented
        return (self.path, self.data, self.findings) == (other.path, other.data, other.findings)

    __hash__ = None  # type: ignore[assignment]  # holds a dict, as the dataclass did

    def __repr__(self) -> str:
        return f"Loaded(path={self.path!r}, data={self.data!r}, findings={self.findings!r})"

    def locate(self, pointer: Sequence[str | int]) -> tuple[int, int]:
        """1-based (line, column) of the value at a JSON path, else of its nearest ancestor."""
        return _nearest(self._positions().values or {}, tuple(pointer))

    def locate_key(self, pointer: Sequence[str | int]) -> tuple[int, int]:
        """1-based (line, column) of the mapping key itself (the value's, for list items)."""
        built = self._positions()
        found = built.keys.get(tuple(pointer))
        return found if found is not None else self.locate(pointer)

    def _positions(self) -> Builder:
        if not self._index:
            builder = Builder(self.path, _event_kinds(), scan=False, index=True)
            body = self._body or (strip_bom(self._source()) if self._source else b"")
            if body:
                _run(builder, body, pure=self._pure)
            self._index.append(builder)
        return self._index[0]


def pack(loaded: Loaded) -> bytes | None:
    """A valid document as compact bytes (a quarter of its size as Python objects), for
    stores that hold many; None for one with findings, which is kept as it is."""
    if loaded.data is None or loaded.findings:
        return None
    return (b"P" if loaded._pure else b"C") + marshal.dumps(loaded.data)


def unpack(path: str, packed: bytes, source: Callable[[], bytes]) -> Loaded:
    """The `Loaded` that `pack` packed: equal data, no findings; `source` re-reads the raw
    bytes when `locate` needs positions."""
    return Loaded(path, unpack_data(packed), (), b"", packed[:1] == b"P", _source=source)


def unpack_data(packed: bytes) -> JSONObject:
    """The JSON value `pack` packed, as new objects (a caller may keep or change them)."""
    data: JSONObject = marshal.loads(memoryview(packed)[1:])  # noqa: S302 - made by `pack`
    return data


def _nearest(index: dict[Pointer, tuple[int, int]], pointer: Pointer) -> tuple[int, int]:
    for end in range(len(pointer), 0, -1):
        found = index.get(pointer[:end])
        if found is not None:
            return found
    return (1, 1)


def load_file(fs_path: Path, display_path: str) -> Loaded:
    """Read at most MAX_BYTES + 1 bytes of a file (never a whole huge file) and load it."""
    with fs_path.open("rb") as handle:
        raw = handle.read(MAX_BYTES + 1)
    return load_strict(raw, display_path)


def load_strict(raw: bytes, path: str) -> Loaded:
    """Load one YAML file's bytes under the strict rules; never raises on bad input."""
    return _load(raw, path, pure=False)


def _load(raw: bytes, path: str, pure: bool) -> Loaded:
    body, text, findings = check_bytes(raw, path)
    if text is None:
        return Loaded(path, None, tuple(findings))
    scan = not text.isascii() and ANY_INVISIBLE.search(text) is not None  # all non-ASCII
    builder = Builder(path, _event_kinds(), scan, index=False)
    pure = pure or _c_parser() is None
    if _run(builder, body, pure, text) and not pure:
        builder, pure = Builder(path, _event_kinds(), scan, index=False), True
        _run(builder, body, pure, text)
    findings = builder.findings + _document_findings(builder, path)
    root = builder.root  # no findings: a mapping (see _document_findings)
    data = root if not findings and type(root) is dict else None
    return Loaded(path, data, tuple(findings[:MAX_FINDINGS]), body, pure)


def _document_findings(builder: Builder, path: str) -> list[Finding]:
    if builder.findings:
        return []
    if builder.docs == 0 or builder.root_plain_empty:
        return [
            error("A.yaml-empty", "the file holds no YAML document; write a mapping", path, 1, 1)
        ]
    if type(builder.root) is not dict:
        kind = "a list" if type(builder.root) is list else "a single value"
        msg = f"the document is {kind}; the top level must be a mapping of keys to values"
        return [error("A.yaml-root-not-mapping", msg, path, 1, 1)]
    return []


def _run(builder: Builder, body: bytes, pure: bool, text: str | None = None) -> bool:
    """Feed the events to the builder; True when the parser refused the document."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        if pure:
            builder.run(_pure_events(body))
        else:
            with _light_events():
                builder.run(_c_events(body))
    except Stop:
        pass
    except MarkedYAMLError as exc:
        from kfm_bot.yaml.syntax import syntax_finding  # only a refused document needs it

        builder.findings.append(syntax_finding(exc, builder.path, text))
        return True
    except (YAMLError, Exception) as exc:  # never raise on bad input: it becomes a finding
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        message = f"YAML cannot be read: {first}; fix the file"
        builder.findings.append(error("A.yaml-syntax", message, builder.path, 1, 1))
        return True
    return False


@cache
def _event_kinds() -> dict[type, int]:
    from ruamel.yaml import events as ev

    from kfm_bot.yaml import build as b
    from kfm_bot.yaml import c_events

    kinds = {
        ev.ScalarEvent: b.SCALAR,
        ev.MappingStartEvent: b.MAP_START,
        ev.SequenceStartEvent: b.SEQ_START,
        ev.MappingEndEvent: b.END,
        ev.SequenceEndEvent: b.END,
        ev.AliasEvent: b.ALIAS,
        ev.DocumentStartEvent: b.DOC_START,
    }
    by_name = {cls.__name__: kind for cls, kind in kinds.items()}
    return kinds | {light: by_name[name] for light, name in c_events.KINDS.items()}


def _light_events() -> AbstractContextManager[None]:
    """`c_events.light` when proven on this C extension, else nothing changes."""
    from kfm_bot.yaml import c_events

    module = _c_module()
    if module is None or not c_events.usable(module):
        return nullcontext()
    return c_events.light(module)


@cache
def _c_module() -> ModuleType | None:
    """ruamel.yaml.clib's extension (a C module without types), None when not installed."""
    try:
        return importlib.import_module("_ruamel_yaml")
    except ImportError:  # pragma: no cover - the pure parser is the fallback
        return None


def _c_parser() -> Any:  # _ruamel_yaml's CParser class
    module = _c_module()
    return None if module is None else module.CParser


def _c_events(body: bytes) -> Iterator[Event]:
    parser = _c_parser()(body)
    return iter(parser.get_event, None)  # a C-level iterator: no generator frame per event


def _pure_events(body: bytes) -> Iterator[Event]:
    from ruamel.yaml import YAML

    yield from YAML(typ="safe", pure=True).parse(body.decode("utf-8"))
