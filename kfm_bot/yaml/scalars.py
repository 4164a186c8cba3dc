"""Resolution of plain YAML scalars to JSON values under a strict YAML 1.2 core schema.

Anything that YAML 1.1 parsers (PyYAML, older ruamel, Go yaml.v2) would read differently from
YAML 1.2 is refused with a "quote it" fix, so a document means the same thing to every tool:
`yes`/`no`/`on`/`off`, leading-zero, octal, hex, binary, sexagesimal and underscored
numbers, and dates. Quoted and block scalars are always strings. `y`/`n` stay strings: only
YAML 1.1's spec (not PyYAML or ruamel.yaml) reads them as booleans, and `x:`/`y:` keys are common
in geodata.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

SAFE_INT = 2**53 - 1

NULLS = frozenset({"", "~", "null", "Null", "NULL"})
TRUES = frozenset({"true", "True", "TRUE"})
FALSES = frozenset({"false", "False", "FALSE"})
AMBIGUOUS_BOOLS = frozenset(
    w for base in ("yes", "no", "on", "off") for w in (base, base.title(), base.upper())
)
# A plain scalar that is not one of these words and does not start with one of these
# characters can only be a string: every number, date, `.inf` or `<<` starts with one.
NUMERIC_FIRST = frozenset("0123456789+-.<")
RESERVED_WORDS = NULLS | TRUES | FALSES | AMBIGUOUS_BOOLS

_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_NON_FINITE = re.compile(r"[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")
_DATE = re.compile(
    r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
    r"(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?"
    r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::?[0-9]{2})?))?)?"
)
_YAML11_NUMBER = re.compile(
    r"[-+]?(?:0[xX][0-9a-fA-F_]+|0[oO]?[0-7_]+|0[bB][01_]+"
    r"|[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?"
    r"|[0-9][0-9_]*_[0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?"
    r"|\.[0-9_]*_[0-9_]*)"
)

if TYPE_CHECKING:
    from kfm_bot.models.json_types import JSONScalar

Problem = tuple[str, str]  # (rule, message)


def _quote(value: str) -> str:
    return "quote it: '" + value.replace("'", "''") + "'"


def resolve_plain(value: str) -> tuple[JSONScalar, Problem | None]:
    """The JSON value of a plain scalar, or a problem (rule, message) when it is refused."""
    if value and value[0] not in NUMERIC_FIRST and value not in RESERVED_WORDS:
        return value, None
    if value in NULLS:
        return None, None
    if value in TRUES:
        return True, None
    if value in FALSES:
        return False, None
    if value in AMBIGUOUS_BOOLS:
        msg = f"'{value}' is a boolean in YAML 1.1 but a string in YAML 1.2; {_quote(value)}"
        return None, ("A.yaml-ambiguous-bool", msg + " (or write true/false)")
    return _resolve_numeric(value)


def _resolve_numeric(value: str) -> tuple[JSONScalar, Problem | None]:
    if _INT.fullmatch(value):
        return _resolve_int(value)
    if _FLOAT.fullmatch(value):
        return _resolve_float(value)
    if _NON_FINITE.fullmatch(value):
        msg = f"{value} is not a JSON number; {_quote(value)} or use null"
        return None, ("A.yaml-non-finite", msg)
    if _DATE.fullmatch(value):
        msg = f"unquoted date or timestamp {value} is not a JSON value; {_quote(value)}"
        return None, ("A.yaml-unquoted-date", msg)
    if _YAML11_NUMBER.fullmatch(value):
        msg = f"{value} is a number to some YAML parsers and a string to others; {_quote(value)}"
        return None, ("A.yaml-ambiguous-number", msg)
    if value == "<<":
        return None, ("A.yaml-merge-key", "merge keys (<<) are not allowed; write the keys out")
    return value, None


def _resolve_float(value: str) -> tuple[JSONScalar, Problem | None]:
    number = float(value)
    if math.isinf(number):
        return None, ("A.yaml-non-finite", f"{value} overflows to infinity; {_quote(value)}")
    mantissa, _, exponent = value.lower().partition("e")
    if exponent and ("." not in mantissa or exponent[0] not in "+-"):
        # YAML 1.1 floats need a dot and a signed exponent: `1e3` is a string there.
        msg = f"{value} is a number to some YAML parsers and a string to others; quote it or"
        return None, ("A.yaml-ambiguous-number", f"{msg} write {float_text(number)}")
    return number, None


def float_text(number: float) -> str:
    """A finite float spelled so that YAML 1.1 and 1.2 both read it back (`1.0e-07`)."""
    text = repr(number)
    mantissa, _, exponent = text.partition("e")
    return f"{mantissa}.0e{exponent}" if exponent and "." not in mantissa else text


def _resolve_int(value: str) -> tuple[JSONScalar, Problem | None]:
    digits = value.lstrip("+-")
    if len(digits) > 1 and digits[0] == "0":
        msg = f"{value} has a leading zero (octal in YAML 1.1); {_quote(value)} or drop the zero"
        return None, ("A.yaml-ambiguous-number", msg)
    if len(digits) > 16 or abs(int(value)) > SAFE_INT:
        msg = f"integer {value} is outside ±(2^53−1) and would lose precision; {_quote(value)}"
        return None, ("A.yaml-int-range", msg)
    return int(value), None
