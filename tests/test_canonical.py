"""Canonical JSON: the fast path is byte-identical to rfc8785, digests and written JSON."""

from __future__ import annotations

import enum
import hashlib
import json
import subprocess
import sys
from collections import OrderedDict
from typing import Any

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from kfm_bot import canonical
from kfm_bot.canonical import canonical_bytes, json_file_bytes, sha256_digest, spec_hash


class Colour(enum.StrEnum):
    RED = "red"


AWKWARD: list[Any] = [
    {"b": 1, "a": [1.0, 2.5, -0.0, 0.0, 1e-7, 1e21, 1e16, 123456789.125, 5e-324, 2.0**53]},
    {"\U0001f600": 1, "\uffff": 2, "\ue000": 3, "a": "\U0001f600"},  # UTF-16 key order
    {"ctl": '\x00\x01\x1f\x7f\u2028"\\/', "esc": "\b\f\n\r\t"},
    {"s": "x.0,", "f": 3.0},  # a `.0,` inside a string next to a whole float
    {"digits": "12345678901234567890", "e": "1e+5", "n": 2**53 - 1, "m": -(2**53) + 1},
    [1, "two", None, True, False, [], {}],
    ("tuple", 1.5),
    OrderedDict([("z", 1), ("a", 2)]),
    {"enum": Colour.RED, Colour.RED: 1},
    "top-level string",
    41.0,
    0,
]
INVALID: list[Any] = [
    {"n": 2**53},
    {"n": -(2**53)},
    {"f": float("inf")},
    {"f": float("nan")},
    {1: "int key"},
    {"s": "\ud800"},
    {"set": {1, 2}},
    {"bytes": b"x"},
]


def same_as_rfc8785(value: Any) -> None:
    try:
        expected = rfc8785.dumps(value)
    except Exception as exc:  # the error type itself is what is compared
        with pytest.raises(type(exc)):
            canonical_bytes(value)
        return
    assert canonical_bytes(value) == expected


@pytest.mark.parametrize("value", AWKWARD + INVALID)
def test_fast_path_matches_rfc8785_on_awkward_values(value: Any) -> None:
    same_as_rfc8785(value)


def test_invalid_values_raise_a_value_error() -> None:
    for value in INVALID:
        with pytest.raises(ValueError):
            canonical_bytes(value)


FLOATS = st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from(
    [0.0, -0.0, 1.0, 1e15, 9007199254740993.0, 1e-4, 9.999e-5, 1e16, 1e20, 1e21, 1e22]
)
TEXT = st.text(st.characters(blacklist_categories=["Cs"]), max_size=8) | st.sampled_from(
    ["\U0001f600", "\uffff", "\ue000", "a.0,", "x.0]", "0e+1", "1" * 17]
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(2**53) - 2, 2**53 + 2)
    | st.integers(-(2**53) + 1, 2**53 - 1)
    | FLOATS
    | TEXT
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(TEXT, inner, max_size=5),
    max_leaves=25,
)


@settings(max_examples=600, deadline=None)
@given(VALUES)
def test_differential_against_rfc8785(value: Any) -> None:
    same_as_rfc8785(value)


def test_common_documents_never_reach_rfc8785(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(value: Any) -> bytes:
        raise AssertionError("slow path taken")

    monkeypatch.setattr(rfc8785, "dumps", refuse)
    doc = {"bbox": [-102.0, 36.99, -94.59, 40.0], "n": 3, "t": "Kansas \u00e9 1.0", "z": [0.0]}
    assert canonical_bytes(doc) == (
        b'{"bbox":[-102,36.99,-94.59,40],"n":3,"t":"Kansas \xc3\xa9 1.0","z":[0]}'
    )


def test_spec_hash_is_sha256_of_the_jcs_bytes() -> None:
    doc = {"b": [1, 2.0, "é"], "a": None}
    jcs = b'{"a":null,"b":[1,2,"\xc3\xa9"]}'
    assert canonical_bytes(doc) == jcs
    assert spec_hash(doc) == "sha256:" + hashlib.sha256(jcs).hexdigest()
    assert spec_hash(OrderedDict(reversed(list(doc.items())))) == spec_hash(doc)


def test_sha256_digest_format() -> None:
    digest = sha256_digest(b"")
    assert digest == "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def test_json_file_bytes_are_deterministic() -> None:
    value = {"b": {"y": 1, "x": "é"}, "a": [1, 2]}
    written = json_file_bytes(value)
    assert written == (
        b'{\n  "a": [\n    1,\n    2\n  ],\n  "b": {\n    "x": "\xc3\xa9",\n    "y": 1\n  }\n}\n'
    )
    assert json.loads(written) == value
    with pytest.raises(ValueError):
        json_file_bytes({"f": float("nan")})


EDGE_NUMBERS: list[object] = [
    -0.0,
    0.0,
    1e-7,
    1e-4,
    9.999e-5,
    1e21,
    1e20,
    1e16,
    9999999999999998.0,
    2.0**53,
    2**53,
    -(2**53),
    2**53 - 1,
    -(2**53) + 1,
    5e-324,
    1.7976931348623157e308,
    0.1,
    -1.5,
]
NON_BMP_KEYS = st.dictionaries(
    st.text(
        st.sampled_from(["a", "\ue000", "\uffff", "\U0001f600", "\U00010000", "\u00e9"]), max_size=3
    ),
    st.integers(0, 3),
    max_size=6,
)


@pytest.mark.parametrize("number", EDGE_NUMBERS)
def test_edge_numbers_alone_in_a_list_and_beside_strings_match(number: object) -> None:
    for value in (
        number,
        [number],
        {"n": number, "s": "1.0,"},
        {"a": [number, "x.0"], "b": number},
    ):
        same_as_rfc8785(value)


@settings(max_examples=300, deadline=None)
@given(NON_BMP_KEYS)
def test_non_bmp_keys_sort_by_utf16_code_units(value: dict[str, int]) -> None:
    same_as_rfc8785(value)
    same_as_rfc8785({"outer": value, "list": [value]})


@settings(max_examples=300, deadline=None)
@given(st.lists(FLOATS | st.integers(-(2**53) - 2, 2**53 + 2) | TEXT, max_size=12))
def test_numbers_between_strings_with_dots_match(values: list[object]) -> None:
    same_as_rfc8785(values)
    same_as_rfc8785({"v": values, "w": [*values, "1.0.0", "1.0"]})


def test_whole_float_points_inside_strings_are_kept() -> None:
    doc = {"a": "1.0.0", "b": 2.0, "c": ["v1.0", 3.0, ".0}"], "d": "x.0"}
    assert canonical_bytes(doc) == b'{"a":"1.0.0","b":2,"c":["v1.0",3,".0}"],"d":"x.0"}'


def test_without_the_private_encoder_everything_goes_to_rfc8785(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for replacement in (None, lambda *args: None, lambda *args: lambda value, level: ["{}"]):
        monkeypatch.setattr(json.encoder, "c_make_encoder", replacement)
        encode, status = canonical._make_encoder()
        assert encode is None and status.startswith("rfc8785 only (json.encoder.c_make_encoder")
    monkeypatch.setattr(canonical, "_ENCODER", None)
    for value in AWKWARD:
        same_as_rfc8785(value)


def test_version_verbose_names_the_encoder_in_use() -> None:
    code = "import sys; from kfm_bot.cli import main; main(['--version', '--verbose'])"
    fast = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "spec_hash encoder: C JSON encoder fast path" in fast.stdout
    hidden = "import json.encoder; del json.encoder.c_make_encoder; " + code.removeprefix(
        "import sys; "
    )
    slow = subprocess.run(
        [sys.executable, "-c", hidden], capture_output=True, text=True, check=True
    )
    assert "spec_hash encoder: rfc8785 only (json.encoder.c_make_encoder is missing" in slow.stdout
