"""Byte-level checks that run before any YAML parser sees a file: size, encoding, depth."""

from __future__ import annotations

import re
from itertools import accumulate

from kfm_bot.findings import Finding, error
from kfm_bot.yaml.invisible import BIDI
from kfm_bot.yaml.lazy_pattern import LazyPattern

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64
# Flow brackets are counted over raw bytes (quoted text included), so the guard allows more
# than MAX_DEPTH; the exact limit is enforced, with a location, while building the value.
# What matters here is that a 50,000-deep `[[[[` never reaches the parser.
FLOW_GUARD_DEPTH = 4 * MAX_DEPTH

_UTF16_32_BOMS = (b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00", b"\xfe\xff", b"\xff\xfe")
_BREAK = re.compile(r"\r\n|\r|\n")
# Everything outside YAML 1.2 c-printable, plus NEL and U+2028/9 (line breaks in YAML 1.1
# only, so two parsers would disagree on line structure) and the noncharacters U+FFFE/F.
# Spelled as the forbidden ranges: the negated class of the allowed ones takes ~10 ms to
# compile on every cold start (a test checks both spellings agree on every code point).
CONTROL_RANGES = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff"
# Only a non-ASCII file (or an ASCII one with a bad byte) is searched: compiled on first use.
_CONTROL = LazyPattern(f"[{CONTROL_RANGES}]")
_INNER_BOM = LazyPattern("\ufeff")
_DEPTH_DELTA = [0] * 256
_DEPTH_DELTA[ord("[")] = _DEPTH_DELTA[ord("{")] = 1
_DEPTH_DELTA[ord("]")] = _DEPTH_DELTA[ord("}")] = -1
_ASCII_ALLOWED = b"\t\n\r" + bytes(range(32, 127))  # ASCII outside CONTROL_RANGES
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


def line_col(text: str, index: int) -> tuple[int, int]:
    """1-based line and column (in code points) of a character offset, as YAML counts them."""
    head = text[:index]
    breaks = list(_BREAK.finditer(head))
    if not breaks:
        return 1, index + 1
    return len(breaks) + 1, index - breaks[-1].end() + 1


def _byte_line_col(raw: bytes, index: int) -> tuple[int, int]:
    return line_col(raw[:index].decode("utf-8", "replace"), index)


def _encoding_findings(raw: bytes, path: str) -> list[Finding]:
    fix = "save the file as UTF-8 (without NUL bytes)"
    if raw.startswith(_UTF16_32_BOMS) or b"\x00" in raw[:4]:
        return [error("A.yaml-encoding", f"file is UTF-16 or UTF-32, not UTF-8; {fix}", path, 1, 1)]
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, col = _byte_line_col(raw, nul)
        return [error("A.yaml-nul-byte", f"NUL byte in the file; {fix}", path, line, col)]
    return []


def _decode(raw: bytes, path: str) -> tuple[str | None, list[Finding]]:
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line, col = _byte_line_col(raw, exc.start)
        bad = raw[exc.start : exc.start + 1].hex()
        msg = f"invalid UTF-8 byte 0x{bad}; save the file as UTF-8"
        return None, [error("A.yaml-invalid-utf8", msg, path, line, col)]


def _flow_depth_finding(body: bytes, path: str) -> list[Finding]:
    brackets = body.translate(None, _NOT_BRACKETS)
    if len(brackets) <= FLOW_GUARD_DEPTH:
        return []
    depths = accumulate(map(_DEPTH_DELTA.__getitem__, brackets))
    if max(depths) <= FLOW_GUARD_DEPTH:
        return []
    depth, index = 0, 0
    for index, byte in enumerate(body):  # noqa: B007 - index is the result
        depth += _DEPTH_DELTA[byte]
        if depth > FLOW_GUARD_DEPTH:
            break
    line, col = _byte_line_col(body, index)
    msg = f"flow nesting deeper than {FLOW_GUARD_DEPTH} levels; flatten the structure"
    return [error("A.yaml-too-deep", msg, path, line, col)]


def _control_finding(text: str, path: str) -> list[Finding]:
    match = _CONTROL.search(text)
    if match is None:
        return []
    line, col = line_col(text, match.start())
    code = f"U+{ord(match.group()):04X}"
    msg = f"control or non-printable character {code}; remove it or write it as an escape"
    return [error("A.yaml-control-char", msg + ' in a "double-quoted" string', path, line, col)]


def _invisible_finding(text: str, path: str) -> list[Finding]:
    match = BIDI.search(text)
    if match is not None:
        code = f"U+{ord(match.group()):04X}"
        msg = f"bidirectional control {code} can hide what the text says; delete it"
    else:
        # A byte order mark after the start: parsers disagree on it (libyaml fails, the pure
        # parser drops it), and it is invisible. U+2060 is the word joiner meant for text.
        match = _INNER_BOM.search(text)
        if match is None:
            return []
        msg = "byte order mark (U+FEFF) inside the file; delete it"
    line, col = line_col(text, match.start())
    return [error("A.yaml-invisible-char", msg, path, line, col)]


def strip_bom(raw: bytes) -> bytes:
    return raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw


def check_bytes(raw: bytes, path: str) -> tuple[bytes, str | None, list[Finding]]:
    """Return (body without UTF-8 BOM, decoded text or None, findings) for raw file bytes."""
    if len(raw) > MAX_BYTES:
        limit = f"{MAX_BYTES // (1024 * 1024)} MiB"
        msg = f"file is larger than {limit}; split it or move the data out of YAML"
        return raw, None, [error("A.yaml-too-large", msg, path, 1, 1)]
    findings = _encoding_findings(raw, path)
    if findings:
        return raw, None, findings
    body = strip_bom(raw)
    text, findings = _decode(body, path)
    if text is None:
        return body, None, findings
    findings = _flow_depth_finding(body, path)
    if not findings and text.isascii():
        # The common file: no bidi control, BOM or other invisible character can be in it,
        # and a control character is a byte outside tab, LF, CR and 32..126 — one pass of
        # `translate` instead of three regex scans; the scan runs only to locate one.
        if body.translate(None, _ASCII_ALLOWED):
            findings = _control_finding(text, path)
        return body, (None if findings else text), findings
    findings = findings or _control_finding(text, path)
    findings = findings or _invisible_finding(text, path)
    return body, (None if findings else text), findings
