"""Features of a GeoJSON source, one at a time, in bounded memory.

Reads a FeatureCollection (RFC 7946) or a GeoJSON text sequence (RFC 8142: one Feature per
line, optionally RS-prefixed) from byte chunks. Only one feature (plus one read chunk) is
held at a time: the collection's members are walked with `json.JSONDecoder.raw_decode`, and
a value cut by a chunk boundary is retried after reading at least as much again, so the
work stays linear. Errors name the object and the feature number; a value larger than
`MAX_VALUE_CHARS` is refused rather than buffered.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterable, Iterator
from typing import Any

from kfm_bot.export.layout import PackError

MAX_VALUE_CHARS = 64 * 1024 * 1024  # one feature (or one top-level member)
_WS = " \t\r\n"
_SEQ_SEPARATORS = _WS + "\x1e"
# A CRS member, when present, must name WGS 84 lon/lat: RFC 7946 output has none.
WGS84_NAMES = frozenset(
    {
        "urn:ogc:def:crs:OGC:1.3:CRS84",
        "urn:ogc:def:crs:OGC::CRS84",
        "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
        "urn:ogc:def:crs:EPSG::4326",
        "EPSG:4326",
    }
)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)


class _Text:
    """Decoded text of a byte stream with a read position; consumed text is dropped."""

    def __init__(self, chunks: Iterable[bytes], where: str) -> None:
        self._chunks = iter(chunks)
        self._utf8 = codecs.getincrementaldecoder("utf-8")()
        self.where = where
        self.buf = ""
        self.pos = 0
        self.eof = False
        self.started = False

    def more(self) -> bool:
        """Read one more chunk; False at the end of the stream."""
        if self.eof:
            return False
        try:
            chunk = next(self._chunks, None)
            text = self._utf8.decode(chunk or b"", final=chunk is None)
        except UnicodeDecodeError:
            raise PackError(f"{self.where}: it is not UTF-8 text") from None
        if chunk is None:
            self.eof = True
        if not self.started and text:
            text = text.removeprefix("\ufeff")
            self.started = True
        if self.pos > len(self.buf) // 2:  # drop what was consumed: memory stays bounded
            self.buf, self.pos = self.buf[self.pos :], 0
        self.buf += text
        return True

    def skip(self, chars: str = _WS) -> str:
        """The next character that is not in `chars` (not consumed), or "" at the end."""
        while True:
            buf, pos = self.buf, self.pos
            while pos < len(buf) and buf[pos] in chars:
                pos += 1
            self.pos = pos
            if pos < len(buf):
                return buf[pos]
            if not self.more():
                return ""

    def expect(self, char: str, what: str) -> None:
        found = self.skip()
        if found != char:
            shown = repr(found) if found else "the end of the data"
            raise PackError(f"{self.where}: expected {char!r} {what}, found {shown}")
        self.pos += 1

    def value(self, what: str) -> Any:
        """The next JSON value; reads more while it is cut off at the end of the text."""
        self.skip()
        want = 0
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
            except RecursionError:
                raise PackError(f"{self.where}: {what} is nested too deeply") from None
            except ValueError as exc:  # JSONDecodeError, or a NaN/Infinity constant
                pending = len(self.buf) - self.pos
                if pending > MAX_VALUE_CHARS:
                    raise PackError(
                        f"{self.where}: {what} is larger than {MAX_VALUE_CHARS} characters"
                    ) from None
                if self.eof or not isinstance(exc, json.JSONDecodeError):
                    detail = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
                    raise PackError(f"{self.where}: {what} is not valid JSON ({detail})") from None
                want = max(2 * pending, want)
                while len(self.buf) - self.pos < want and self.more():
                    pass
                continue
            if end == len(self.buf) and not self.eof:  # a number may go on in the next chunk
                want = len(self.buf) - self.pos + 1
                while len(self.buf) - self.pos < want and self.more():
                    pass
                continue
            self.pos = end
            return value


def read_features(chunks: Iterable[bytes], where: str, sequence: bool) -> Iterator[Any]:
    """Each feature of the source in order (not validated beyond JSON); PackError if malformed."""
    text = _Text(chunks, where)
    if sequence:
        yield from _sequence(text)
    else:
        yield from _collection(text)


def _sequence(text: _Text) -> Iterator[Any]:
    number = 0
    while text.skip(_SEQ_SEPARATORS):
        number += 1
        yield text.value(f"feature {number}")


def _collection(text: _Text) -> Iterator[Any]:
    text.expect("{", "at the start of a FeatureCollection")
    seen: set[str] = set()
    while True:
        if text.skip() == "}":
            text.pos += 1
            break
        if seen:
            text.expect(",", "between members")
        key = text.value("a member name")
        if not isinstance(key, str):
            raise PackError(f"{text.where}: a member name is not a string")
        if key in seen:
            raise PackError(f"{text.where}: the member {key!r} appears twice")
        seen.add(key)
        text.expect(":", f"after the member name {key!r}")
        if key == "features":
            yield from _features(text)
            continue
        member = text.value(f"the member {key!r}")
        _check_member(text.where, key, member)
    if text.skip():
        raise PackError(f"{text.where}: data follows the end of the FeatureCollection")
    if "features" not in seen or "type" not in seen:
        raise PackError(f"{text.where}: a FeatureCollection needs `type` and `features`")


def _features(text: _Text) -> Iterator[Any]:
    text.expect("[", "at the start of `features`")
    number = 0
    while True:
        if text.skip() == "]":
            text.pos += 1
            return
        if number:
            text.expect(",", f"after feature {number}")
        number += 1
        yield text.value(f"feature {number}")


def _check_member(where: str, key: str, value: Any) -> None:
    if key == "type" and value != "FeatureCollection":
        raise PackError(f"{where}: its type is {value!r}, not a FeatureCollection")
    if key == "crs" and value is not None and _crs_name(value) not in WGS84_NAMES:
        raise PackError(
            f"{where}: its `crs` is not WGS 84 longitude/latitude (CRS84); publish RFC 7946 "
            "GeoJSON, which is WGS 84 by definition"
        )


def _crs_name(value: Any) -> object:
    props = value.get("properties") if isinstance(value, dict) else None
    return props.get("name") if isinstance(props, dict) else None
