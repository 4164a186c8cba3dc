"""Canonical JSON (RFC 8785 / JCS), digests, spec_hash, and the JSON bytes the bot writes.

`canonical_bytes` is byte-identical to `rfc8785.dumps` (a differential test proves it) but runs
the common case through the C JSON encoder: one type walk checks that every value is a plain
JSON type whose `json` spelling is its JCS spelling (integral floats are counted and their `.0`
dropped from the output afterwards), then the C encoder writes the bytes. Anything else
(subclasses, out-of-range numbers, floats JCS writes differently, non-BMP text that would
sort differently in UTF-16, lone surrogates) is handed to `rfc8785` itself, which
also raises its own errors (`rfc8785.CanonicalizationError`, a ValueError) for invalid input.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

_SAFE_INT = 2**53 - 1
_NON_BMP_LEADS = (b"\xf0", b"\xf1", b"\xf2", b"\xf3", b"\xf4")
_FLOAT_ENDS = frozenset(b",]}")
# A probe of every JSON type: the private encoder is used only if it writes exactly this.
_PROBE: dict[str, object] = {"b": [1, 2.5, True, False, None, '\u00e9\n"'], "a": {}, "c": []}
_PROBE_JSON = '{"a":{},"b":[1,2.5,true,false,null,"\u00e9\\n\\""],"c":[]}'


def _refuse(value: object) -> object:
    raise TypeError(f"not JSON: {type(value).__name__}")


def _make_encode() -> tuple[Callable[[object], str] | None, str]:
    """The C encoder built once (json.dumps builds one per call) and how spec_hash runs.

    `json.encoder.c_make_encoder` is a private CPython API: when it is missing, takes other
    arguments or writes the probe differently, every value goes to rfc8785 instead."""
    c_make_encoder: Any = getattr(json.encoder, "c_make_encoder", None)
    if c_make_encoder is None:
        return None, "rfc8785 only (json.encoder.c_make_encoder is missing on this interpreter)"
    try:
        encoder = c_make_encoder(
            None, _refuse, json.encoder.encode_basestring, None, ":", ",", True, False, False
        )

        def encode(value: object) -> str:
            return "".join(encoder(value, 0))

        probe = encode(_PROBE)
    except Exception as exc:  # a different signature or behaviour: never guess
        return None, f"rfc8785 only (json.encoder.c_make_encoder differs: {exc!r})"
    if probe != _PROBE_JSON:
        return None, f"rfc8785 only (json.encoder.c_make_encoder wrote {probe!r})"
    return encode, "C JSON encoder fast path (json.encoder.c_make_encoder), rfc8785 for the rest"


_ENCODE, _STATUS = _make_encode()


def encoder_status() -> str:
    """How canonical_bytes runs on this interpreter (`kfm-bot --version --verbose`)."""
    return _STATUS


def _whole_floats(value: object) -> int:
    """Integral floats in a value (JCS writes them as integers); -1: leave it to rfc8785.

    Also refuses what the C encoder would write differently from JCS: non-string keys (it
    stringifies them), integers beyond 2^53 - 1, floats outside repr()'s fixed notation, and
    any type that is not exactly a JSON type.
    """
    return _in_list((value,))


def _in_dict(mapping: dict[object, object]) -> int:
    count = 0
    for key, item in mapping.items():
        if type(key) is not str:
            return -1
        kind = type(item)
        if kind is str or item is None or kind is bool:
            continue
        if kind is dict:
            found = _in_dict(item)  # type: ignore[arg-type]
        elif kind is list or kind is tuple:
            found = _in_list(item)  # type: ignore[arg-type]
        elif kind is int:
            if -_SAFE_INT <= item <= _SAFE_INT:  # type: ignore[operator]
                continue
            return -1
        elif kind is float:
            if 1e-4 <= item <= _SAFE_INT or -_SAFE_INT <= item <= -1e-4:  # type: ignore[operator]
                count += item.is_integer()  # type: ignore[attr-defined]
                continue  # repr()'s fixed notation, as in JCS (the common case, inlined)
            found = _float_kind(item)  # type: ignore[arg-type]
        else:
            return -1
        if found < 0:
            return -1
        count += found
    return count


def _in_list(items: Iterable[object]) -> int:
    """`_in_dict` for the items of a list or tuple (two copies: this walk is the hot loop)."""
    count = 0
    for item in items:
        kind = type(item)
        if kind is str or item is None or kind is bool:
            continue
        if kind is dict:
            found = _in_dict(item)  # type: ignore[arg-type]
        elif kind is list or kind is tuple:
            found = _in_list(item)  # type: ignore[arg-type]
        elif kind is int:
            if -_SAFE_INT <= item <= _SAFE_INT:  # type: ignore[operator]
                continue
            return -1
        elif kind is float:
            if 1e-4 <= item <= _SAFE_INT or -_SAFE_INT <= item <= -1e-4:  # type: ignore[operator]
                count += item.is_integer()  # type: ignore[attr-defined]
                continue  # repr()'s fixed notation, as in JCS (the common case, inlined)
            found = _float_kind(item)  # type: ignore[arg-type]
        else:
            return -1
        if found < 0:
            return -1
        count += found
    return count


def _float_kind(number: float) -> int:
    """1 for an integral float, 0 for another, -1 when repr() and JCS write it differently.

    repr() and ECMAScript agree on non-integral numbers in fixed notation; an integral float
    is `<digits>.0` in repr and `<digits>` in JCS (-0.0 is "0": left to rfc8785)."""
    if number.is_integer():
        return 1 if 0 < abs(number) <= _SAFE_INT or str(number) == "0.0" else -1
    return 0 if 1e-4 <= abs(number) < 1e16 else -1


def _fast(value: object) -> bytes | None:
    if _ENCODE is None:
        return None
    whole = _whole_floats(value)
    if whole < 0:
        return None
    try:
        encoded = _ENCODE(value).encode("utf-8")
    except (TypeError, ValueError):  # a lone surrogate, a cycle
        return None
    if not encoded.isascii() and any(b in encoded for b in _NON_BMP_LEADS) and _astral_keys(value):
        return None  # JCS sorts keys by UTF-16 code units, json by code points
    return encoded if whole == 0 else _drop_whole_float_points(encoded, whole)


def _astral_keys(value: object) -> bool:
    """True when some mapping key holds a character beyond U+FFFF (rare: checked last)."""
    if type(value) is dict:
        mapping: dict[str, object] = value
        keys = "".join(mapping)
        if not keys.isascii() and max(keys) > "\uffff":
            return True
        return any(_astral_keys(item) for item in mapping.values())
    if type(value) is list or type(value) is tuple:
        items: Iterable[object] = value
        return any(_astral_keys(item) for item in items)
    return False


def _drop_whole_float_points(encoded: bytes, whole: int) -> bytes | None:
    """The bytes without the `.0` of each integral float, found in one split: a `.0` followed
    by `,`, `]`, `}` or the end. When that count is not the walk's count, some `.0,` sits
    inside a string: None, and rfc8785 decides."""
    parts = encoded.split(b".0")
    last = len(parts) - 1
    pieces = [parts[0]]
    dropped = 0
    for index in range(1, last + 1):
        part = parts[index]
        if (part[0] in _FLOAT_ENDS) if part else index == last:
            dropped += 1
        else:
            pieces.append(b".0")
        pieces.append(part)
    return b"".join(pieces) if dropped == whole else None


def canonical_bytes(value: object) -> bytes:
    """RFC 8785 canonical JSON of a JSON-compatible value; equal to `rfc8785.dumps(value)`."""
    fast = _fast(value)
    if fast is not None:
        return fast
    import rfc8785

    result: bytes = rfc8785.dumps(value)  # type: ignore[arg-type]
    return result


def sha256_digest(data: bytes) -> str:
    """`sha256:<64 lowercase hex>` of some bytes."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


def spec_hash(doc: Mapping[str, object]) -> str:
    """`sha256:` + SHA-256 of the JCS bytes of a document (DESIGN.md section 4)."""
    return sha256_digest(canonical_bytes(doc if type(doc) is dict else dict(doc)))


def json_file_bytes(value: object) -> bytes:
    """The deterministic JSON the bot writes: sorted keys, indent 2, UTF-8, trailing newline."""
    text = json.dumps(
        value, sort_keys=True, indent=2, separators=(",", ": "), ensure_ascii=False, allow_nan=False
    )
    return (text + "\n").encode("utf-8")
