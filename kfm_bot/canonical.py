"""Canonical JSON (RFC 8785 / JCS), digests, spec_hash, and the JSON bytes the bot writes.

`canonical_bytes` is byte-identical to `rfc8785.dumps` (differential and property tests prove
it) but runs through the C JSON encoder with no Python walk over the value. The encoder writes
the item separator as a raw NUL byte, turned into `,` at the end: a JSON string never holds a
raw control character (it is escaped), so a NUL marks the structure exactly and every check
below reads the output bytes at C speed:

- a number token is followed by `]`/`}` closers and then a NUL or the end; text inside a string
  never is (more text or its closing quote follows). That tells an integral float's `.0`
  (dropped, as JCS writes integers, and `-0.0` written `0`) from a `.0` inside a string;
- float spellings where `repr` and ECMAScript differ (exponents e+16..e+20 and e-05..e-09),
  integers beyond 2^53 - 1, keys the encoder stringified from int/float/bool/None, and keys
  with characters beyond U+FFFF (JCS sorts by UTF-16 code units, json by code points) are
  found the same way and handed to `rfc8785`, as is anything the encoder refuses (other types,
  NaN and infinities, lone surrogates, cycles). `rfc8785` then writes the bytes or raises its
  own error (`rfc8785.CanonicalizationError`, a ValueError), so errors are its errors.

A common spec pays for the encoder, one `bytes.translate`, a few literal-prefix searches and
one `bytes.replace`. Subclasses of the JSON types are encoded from their built-in value by both
(an IntEnum as its int, a StrEnum as its text); one that overrides `__int__`, `__float__`,
`items`, `__iter__` or `encode` to disagree with that value is outside the contract (spec_hash
gets only plain types from the strict loaders, a tested contract).
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Callable, Mapping
from typing import Any

_SAFE_INT = 2**53 - 1
# Followed by closers and then a separator or the end: the end of a token outside any string.
_OUTSIDE = rb"(?=[\]}]*(?:\x00|\Z))"
# `.0` ending a number: dropped, as JCS writes integral floats as integers. Only after that is
# a `-0` ending one a former -0.0 (repr never writes an int or another float so), written 0.
_WHOLE_FLOAT_POINT = re.compile(rb"\.0" + _OUTSIDE)
_NEGATIVE_ZERO = re.compile(rb"-0" + _OUTSIDE)
# The number and key checks read `digits`, the output with every digit written `0` and `+`
# and `{` written `-`, where a literal search is fast, and without the letters a number never
# holds (all but a-f and A-F; l, r and u stay for the key check) and spaces, underscores and
# slashes: one `translate` pass that writes half the bytes is faster than one that writes them
# all, and the searches after it read half as much. Deleting can only join digit runs or bring
# `e`, signs, quotes and closers together, never part them, so each search finds every real
# case and, rarely, one that is not (then an exact pattern reads the output itself, or rfc8785
# writes the value); hex letters stay so that a digest's digits stay apart.
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789+{", b"000000000--")
_NOT_IN_NUMBERS = bytes(
    b for b in range(128) if chr(b).isalpha() and chr(b) not in "abcdefABCDEFlru"
)
_NOT_IN_NUMBERS += b" _/"
# repr() and ECMAScript spell exponents e+16..e+20 (JCS: fixed notation) and e-05..e-09
# (JCS: 0.00001, 1e-7) differently; two-digit exponents outside those ranges are spelt alike
# but are rare enough to leave to rfc8785 too. In `digits` every one reads `0e-00`.
_TWO_DIGIT_EXPONENT = re.compile(rb"-00(?<=0e-00)" + _OUTSIDE)
_LONG_INTEGER = re.compile(rb"(?<![0-9.])[0-9]{16,}" + _OUTSIDE)
# A dict with a non-str key has only such keys (sorting a str beside one raises), so its first
# key, right after `{`, is one the encoder stringified; `{"` never occurs inside a string.
# (A str key that starts with a digit matches too and goes to rfc8785: rare.)
_STRINGIFIED_KEY = re.compile(rb'\{"(?:-?[0-9]|true"|false"|null")')
# Both tests at once on `digits`, where that key start reads `-"` and then `0`, `-0`, `rue"`,
# `fale"` or `ull"`. One search, because each costs a fixed ~0.1 µs and then reads every byte;
# its pattern starts with the literal `-` because sre skips ahead only to a literal prefix
# (`-` is rare in `digits`, `0` is everywhere). Only when it matches do the exact patterns run.
_EXPONENT_OR_KEY = re.compile(rb"-(?:00(?<=0e-00)" + _OUTSIDE + rb'|"(?:-?0|rue"|fale"|ull"))')
# From a 4-byte UTF-8 lead (only ever inside a string) to the string's end: is it a key?
_ASTRAL_KEY = re.compile(rb'[\xf0-\xf4](?:[^"\\]|\\.)*":')
# A probe of every JSON type: the private encoder is used only if it writes exactly this.
_PROBE: dict[str, object] = {"b": [1, 2.5, True, False, None, '\u00e9\n"'], "a": {}, "c": []}
_PROBE_JSON = '{"a":{}\x00"b":[1\x002.5\x00true\x00false\x00null\x00"\u00e9\\n\\""]\x00"c":[]}'


def _refuse(value: object) -> object:
    raise TypeError(f"not JSON: {type(value).__name__}")


def _make_encoder() -> tuple[Callable[[object, int], list[str]] | None, str]:
    """The C encoder built once (json.dumps builds one per call) and how spec_hash runs.

    `_json.make_encoder` (what `json.encoder.c_make_encoder` names) is a private CPython API,
    taken from `_json` itself: the `json` package would cost every cold start of `kfm-bot
    hash` its decoder and scanner (~1 ms) for nothing. When it or `_json.encode_basestring`
    is missing, takes other arguments or writes the probe differently, every value goes to
    rfc8785 instead."""
    try:
        import _json
    except ImportError:  # pragma: no cover - every CPython has it; other interpreters may not
        return None, "rfc8785 only (the _json module is missing on this interpreter)"
    c_make_encoder: Any = getattr(_json, "make_encoder", None)
    encode_basestring: Any = getattr(_json, "encode_basestring", None)
    if c_make_encoder is None or encode_basestring is None:
        return None, "rfc8785 only (_json.make_encoder is missing on this interpreter)"
    try:
        encoder = c_make_encoder(
            None, _refuse, encode_basestring, None, ":", "\x00", True, False, False
        )
        probe = "".join(encoder(_PROBE, 0))
    except Exception as exc:  # a different signature or behaviour: never guess
        return None, f"rfc8785 only (_json.make_encoder differs: {exc!r})"
    if probe != _PROBE_JSON:
        return None, f"rfc8785 only (_json.make_encoder wrote {probe!r})"
    return encoder, "C JSON encoder fast path (_json.make_encoder), rfc8785 for the rest"


_ENCODER, _STATUS = _make_encoder()


def encoder_status() -> str:
    """How canonical_bytes runs on this interpreter (`kfm-bot --version --verbose`)."""
    return _STATUS


def _build() -> Callable[[object], bytes]:
    """`canonical_bytes`, with what it calls bound as closure cells: a global or attribute
    lookup costs about as much as a search of a small spec's bytes, and there are a dozen.
    `_ENCODER` stays a global, read on each call, so that tests can take the fast path away.
    Literal searches use `bytes.find`: `in` on bytes first tries the needle as an integer and
    pays for a TypeError (~0.1 µs) on every call."""
    join = "".join
    digits_as_zero = _DIGITS_AS_ZERO
    not_in_numbers = _NOT_IN_NUMBERS
    long_integer = _long_integer
    exponent_or_key = _EXPONENT_OR_KEY.search
    stringified_key = _STRINGIFIED_KEY.search
    two_digit_exponent = _TWO_DIGIT_EXPONENT.search
    might_hold_astral = _might_hold_astral
    astral_key = _ASTRAL_KEY.search
    negative_zero = _NEGATIVE_ZERO.search
    drop_negative_zero = _NEGATIVE_ZERO.sub
    whole_float_point = _WHOLE_FLOAT_POINT.search
    drop_whole_float_points = _WHOLE_FLOAT_POINT.sub

    def canonical_bytes(value: object) -> bytes:
        """RFC 8785 canonical JSON of a JSON-compatible value; equal to `rfc8785.dumps(value)`."""
        encoder = _ENCODER
        if encoder is not None:
            try:
                text = join(encoder(value, 0))
                data = text.encode()
            except (TypeError, ValueError, RecursionError):  # other types, NaN, surrogates, cycles
                pass
            else:
                digits = data.translate(digits_as_zero, not_in_numbers)
                if not (
                    (digits.find(b"0000000000000000") >= 0 and long_integer(data))
                    or (
                        exponent_or_key(digits)
                        and (two_digit_exponent(digits) or stringified_key(data))
                    )
                    or (not text.isascii() and might_hold_astral(data) and astral_key(data))
                ):
                    if whole_float_point(data):  # JCS: 2.0 is 2 (sub alone costs more)
                        data = drop_whole_float_points(b"", data)
                        if negative_zero(data):  # -0.0, now -0, is 0
                            data = drop_negative_zero(b"0", data)
                    return data.replace(b"\x00", b",")
        import rfc8785

        result: bytes = rfc8785.dumps(value)  # type: ignore[arg-type]
        return result

    return canonical_bytes


def _might_hold_astral(data: bytes) -> bool:
    """A byte that starts a 4-byte UTF-8 sequence (a character beyond U+FFFF): five memchr
    calls, where the key pattern's character-class scan costs ~5 ns a byte."""
    find = data.find
    return (
        find(b"\xf0") >= 0
        or find(b"\xf1") >= 0
        or find(b"\xf2") >= 0
        or find(b"\xf3") >= 0
        or find(b"\xf4") >= 0
    )


def _long_integer(data: bytes) -> bool:
    """An integer token beyond 2^53 - 1 (16 digits in a row are rare: usually inside a string)."""
    return any(abs(int(found[0])) > _SAFE_INT for found in _LONG_INTEGER.finditer(data))


canonical_bytes = _build()


def sha256_digest(data: bytes) -> str:
    """`sha256:<64 lowercase hex>` of some bytes."""
    import hashlib  # loaded on first use: see _small_sha256

    return "sha256:" + hashlib.sha256(data).hexdigest()


def _builtin_sha256() -> Callable[[bytes], Any] | None:
    """CPython's own SHA-256 (`_sha256`, `_sha2` from 3.12): private modules, so None when
    neither is there or has `sha256`, and hashlib serves."""
    for name in ("_sha256", "_sha2"):
        try:
            found: Any = getattr(importlib.import_module(name), "sha256", None)
        except ImportError:
            continue
        if callable(found):
            return found  # type: ignore[no-any-return]
    return None


_BUILTIN_SHA256: list[Callable[[bytes], Any] | None] = []  # looked up once, on first use
# hashlib.sha256, kept once something has loaded hashlib: an `import` statement and the
# sys.modules test cost ~0.2 µs a call, a sixth of hashing a small spec.
_HASHLIB_SHA256: list[Callable[[bytes], Any]] = []


def _small_sha256(data: bytes) -> str:
    """SHA-256 hex of a document's canonical bytes (at most a few MB). Through hashlib
    (OpenSSL) once anything has loaded it, as every command but a plain `kfm-bot hash` has;
    before that through CPython's own module, which loads in 0.3 ms where hashlib's libcrypto
    takes 2.5 ms of the hash command's cold start (it hashes ~4x slower, ~3.5 µs more a 1.3 KB
    spec: that adds up to hashlib's load only past ~700 specs). Both give the same digest."""
    if _HASHLIB_SHA256:
        return str(_HASHLIB_SHA256[0](data).hexdigest())
    if "hashlib" not in sys.modules:
        if not _BUILTIN_SHA256:
            _BUILTIN_SHA256.append(_builtin_sha256())
        builtin = _BUILTIN_SHA256[0]
        if builtin is not None:
            return str(builtin(data).hexdigest())
    import hashlib

    _HASHLIB_SHA256.append(hashlib.sha256)
    return hashlib.sha256(data).hexdigest()


def digest_status() -> str:
    """How spec_hash digests on this interpreter (`kfm-bot --version --verbose`)."""
    if _builtin_sha256() is None:
        return "hashlib (no _sha256 or _sha2 module on this interpreter)"
    return "_sha256 builtin until hashlib is loaded, then hashlib (same digest)"


def spec_hash(doc: Mapping[str, object]) -> str:
    """`sha256:` + SHA-256 of the JCS bytes of a document (DESIGN.md section 4)."""
    return "sha256:" + _small_sha256(canonical_bytes(doc if type(doc) is dict else dict(doc)))


def json_file_bytes(value: object) -> bytes:
    """The deterministic JSON the bot writes: sorted keys, indent 2, UTF-8, trailing newline."""
    import json

    text = json.dumps(
        value, sort_keys=True, indent=2, separators=(",", ": "), ensure_ascii=False, allow_nan=False
    )
    return (text + "\n").encode("utf-8")
