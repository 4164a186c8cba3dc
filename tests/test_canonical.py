"""Canonical JSON: the fast path is byte-identical to rfc8785, digests and written JSON."""

from __future__ import annotations

import _json
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
from kfm_bot.yaml.strict import load_strict


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
# Text that looks like the output the fast path reads: number endings, exponents, keys,
# the raw separator bytes it uses internally, escapes.
LOOKALIKES = [
    "\U0001f600",
    "\uffff",
    "\ue000",
    "a.0,",
    "x.0]",
    "0e+1",
    "1" * 17,
    ".0]]",
    "1.0}",
    "2.0]}",
    "-0.0",
    "1e+16",
    "1e-05",
    "3e-07",
    '{"1":',
    '"1":2',
    "\x00",
    "\x01",
    ".0\x00",
    "a\\",
    '"',
    "9007199254740993",
    "-9007199254740993",
    "true",
    "null",
]
TEXT = st.text(st.characters(blacklist_categories=["Cs"]), max_size=8) | st.sampled_from(LOOKALIKES)
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


# Any JSON-ish value, valid or not: lone surrogates, astral text, NaN and infinities,
# integers just past +-(2^53 - 1), keys that are not strings (alone or beside str keys),
# floats from every range repr() and ECMAScript spell differently. Errors must be rfc8785's.
ANY_TEXT = st.text(st.characters(), max_size=6) | st.sampled_from(LOOKALIKES)
ANY_FLOAT = st.floats() | st.sampled_from(
    [-0.0, 1e-7, 1e21, 1e16, 1.5e17, 1e20, 1e-5, 2.5e-6, 1e-9, 1e-10, 5e-324, 2.0**53, 1e300]
)
ANY_KEY = ANY_TEXT | st.integers(-3, 3) | st.booleans() | st.none() | st.sampled_from([1.5, -0.0])
ANY_SCALAR = (
    st.none()
    | st.booleans()
    | st.integers(-(2**53) - 2, -(2**53) + 2)
    | st.integers(2**53 - 2, 2**53 + 2)
    | st.integers()
    | ANY_FLOAT
    | ANY_TEXT
)
ANY_VALUE = st.recursive(
    ANY_SCALAR,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(ANY_TEXT, inner, max_size=4)
        | st.dictionaries(ANY_KEY, inner, max_size=3)
    ),
    max_leaves=20,
)


@settings(max_examples=1500, deadline=None)
@given(ANY_VALUE)
def test_any_value_gives_rfc8785_bytes_or_its_error(value: Any) -> None:
    same_as_rfc8785(value)


NOT_STR_KEYS: list[Any] = [
    {1: "a"},
    {2: "a", 1: "b"},
    {-1: 0},
    {1.5: 0},
    {1e16: 0},
    {-0.0: 0},
    {None: 1},
    {True: 1},
    {False: 0, 2: 3},
    {"a": {3: [1.0]}},
    [{7: None}],
]


@pytest.mark.parametrize("value", NOT_STR_KEYS)
def test_keys_the_encoder_would_stringify_raise_like_rfc8785(value: Any) -> None:
    with pytest.raises(rfc8785.CanonicalizationError):
        rfc8785.dumps(value)
    with pytest.raises(rfc8785.CanonicalizationError):
        canonical_bytes(value)


STRUCTURE_LOOKALIKES: list[Any] = [
    [[1.0]],
    {"a": {"b": 2.0}},
    [1.0, [2.0], {"c": [3.0]}, -0.0],
    {"s": "[1.0]]", "t": "x.0]}", "u": ".0", "v": [-0.0]},
    {"s": '{"1":2}', "t": "1e+16", "u": "2e-07", "n": 1e-7},
    {"1": "numeric-looking str key", "true": 1, "null": 2, "-0": 3},
    {"d": "1234567890123456789", "n": 1234567890123456},
    {"x": "\x00.0\x00", "y": "\x01", "z": 5.0},
    {"\U0001f600": {"\ufffd": 1, "\U00010000": 2}, "k": "\U0001f600 .0"},
    {"k": '\U0001f600":', "m": "\ue000"},
    -0.0,
    [-0.0],
    1e21,
    1e-7,
]


@pytest.mark.parametrize("value", STRUCTURE_LOOKALIKES)
def test_text_that_looks_like_structure_is_left_alone(value: Any) -> None:
    same_as_rfc8785(value)


def test_cycles_raise_like_rfc8785() -> None:
    loop: list[Any] = []
    loop.append(loop)
    same_as_rfc8785(loop)
    same_as_rfc8785({"a": loop})


def test_common_documents_never_reach_rfc8785(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(value: Any) -> bytes:
        raise AssertionError("slow path taken")

    monkeypatch.setattr(rfc8785, "dumps", refuse)
    doc = {
        "bbox": [-102.0, 36.99, -94.59, 40.0],
        "n": 3,
        "t": "Kansas \u00e9 1.0 \U0001f4a7",
        "z": [0.0, -0.0, {"w": 2.0}],
        "v": "CC-BY-4.0",
    }
    assert canonical_bytes(doc) == (
        b'{"bbox":[-102,36.99,-94.59,40],"n":3,"t":"Kansas \xc3\xa9 1.0 \xf0\x9f\x92\xa7",'
        b'"v":"CC-BY-4.0","z":[0,0,{"w":2}]}'
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
        monkeypatch.setattr(_json, "make_encoder", replacement)
        encode, status = canonical._make_encoder()
        assert encode is None and status.startswith("rfc8785 only (_json.make_encoder")
    monkeypatch.setattr(canonical, "_ENCODER", None)
    for value in AWKWARD:
        same_as_rfc8785(value)


def test_version_verbose_names_the_encoder_in_use() -> None:
    code = "import sys; from kfm_bot.cli import main; main(['--version', '--verbose'])"
    fast = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "spec_hash encoder: C JSON encoder fast path" in fast.stdout
    hidden = "import _json; del _json.make_encoder; " + code.removeprefix("import sys; ")
    slow = subprocess.run(
        [sys.executable, "-c", hidden], capture_output=True, text=True, check=True
    )
    assert "spec_hash encoder: rfc8785 only (_json.make_encoder is missing" in slow.stdout


SPEC_YAML = (
    b'a: 1\nb: 2.0\nc: -0.0\nd: [x, true, null, 1.0e-7, "\\U0001F600"]\n'
    b'e: {f: "g", h: 1.5e+21, "1": 2}\nt: CC-BY-4.0\n'
)
PLAIN = (dict, list, str, int, float, bool, type(None))


def test_strict_loader_gives_spec_hash_only_plain_json_types() -> None:
    """The contract spec_hash relies on for speed and exactness: a loaded spec holds only exact
    JSON types with str keys, so no subclass with its own conversions reaches the encoder."""
    loaded = load_strict(SPEC_YAML, "spec.yaml")
    assert loaded.data is not None and not loaded.findings
    pending: list[object] = [loaded.data]
    seen = 0
    while pending:
        item = pending.pop()
        seen += 1
        assert type(item) in PLAIN, type(item)
        if type(item) is dict:
            assert all(type(key) is str for key in item)
            pending.extend(item.values())
        elif type(item) is list:
            pending.extend(item)
    assert seen == 15
    same_as_rfc8785(loaded.data)


def test_the_number_view_never_hides_a_case_and_its_false_alarms_stay_exact() -> None:
    # The checks read the output without most letters, spaces, underscores and slashes:
    # digit runs that only join there, exponent-like text and digests must all come out as
    # rfc8785 writes them, beside real long integers, exponents and whole floats.
    digest = "sha256:9f2c1e0d4b7a88e0c3d5f6a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f7a8b"
    for value in (
        {"a": "12345678 90123456 7", "b": [2.0, -0.0, 1.5], "c": "1e-05x]", "d": digest},
        {"a": "x_1234/5678_9012/3456", "b": 2**53, "c": 1e-7, "d": 1e21, "e": -(2**53)},
        {"t\U0001f600": 1, "v": "\U0001f4a7 1.0", "w": [1.0, "a.0", {"\u00e9": 3.0}]},
        {"id": "k-1", "title": "true", "type": "null", "1x": 0.0},
    ):
        same_as_rfc8785(value)


def test_spec_hash_is_the_same_before_and_after_hashlib_loads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    doc = {"b": [1, 2.0, "é"], "a": {"c": None}}
    expected = "sha256:" + hashlib.sha256(canonical_bytes(doc)).hexdigest()
    assert spec_hash(doc) == expected  # hashlib is loaded here: OpenSSL
    kept = canonical._HASHLIB_SHA256  # for the next call
    assert len(kept) == 1 and kept[0] is hashlib.sha256
    monkeypatch.setattr(canonical, "_HASHLIB_SHA256", [])
    monkeypatch.delitem(sys.modules, "hashlib")  # as in a cold `kfm-bot hash`
    assert spec_hash(doc) == expected  # CPython's own _sha256
    assert not canonical._HASHLIB_SHA256 and "hashlib" not in sys.modules
    monkeypatch.setattr(canonical, "_BUILTIN_SHA256", [None])  # no such private module
    assert spec_hash(doc) == expected and "hashlib" in sys.modules
    assert len(canonical._HASHLIB_SHA256) == 1


def test_version_verbose_names_the_digest_in_use() -> None:
    code = "import sys; from kfm_bot.cli import main; main(['--version', '--verbose'])"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "spec_hash digest: _sha256 builtin until hashlib is loaded" in done.stdout
    hidden = "import sys; sys.modules['_sha256'] = sys.modules['_sha2'] = None; " + code
    done = subprocess.run(
        [sys.executable, "-c", hidden], capture_output=True, text=True, check=True
    )
    assert "spec_hash digest: hashlib (no _sha256 or _sha2 module" in done.stdout


def fast_path_only(monkeypatch: pytest.MonkeyPatch, value: Any) -> bytes:
    """rfc8785's bytes for `value`, and canonical_bytes' equal to them without rfc8785."""
    expected: bytes = rfc8785.dumps(value)

    def refuse(value: Any) -> bytes:
        raise AssertionError("slow path taken")

    with monkeypatch.context() as patched:
        patched.setattr(rfc8785, "dumps", refuse)
        assert canonical_bytes(value) == expected
    return expected


@pytest.mark.parametrize(
    "key",
    ["tr_ue", "fa_l_se", "nu_ll", "x1", "+1", "v-1", "T/rue", "a b"],
)
def test_str_keys_that_read_like_stringified_ones_in_the_number_view_stay_fast(
    monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    # In the number view these first keys read `rue`, `fale`, `ull`, `0`, `-0`: the combined
    # search matches, and the exact pattern over the output must clear them (not rfc8785).
    # "a b" reads `ab` and matches nothing: the control.
    fast_path_only(monkeypatch, {key: 1, "~": {key: [2.0]}})


@pytest.mark.parametrize("value", [{True: 1}, {False: 1}, {None: 1}, {-3: 1}, {2.5: 1}])
def test_each_stringified_key_spelling_is_caught_by_the_number_view(value: Any) -> None:
    with pytest.raises(rfc8785.CanonicalizationError):
        canonical_bytes(value)
    with pytest.raises(rfc8785.CanonicalizationError):
        canonical_bytes({"outer": [value]})


@pytest.mark.parametrize("number", [1e16, 1.5e17, 1e20, 1e-5, 2.5e-6, 1e-7, 1e-9])
def test_both_exponent_signs_are_caught_in_the_number_view(number: float) -> None:
    # `+` is written `-` there: without that the e+16..e+20 spellings would pass as repr's.
    values: list[Any] = [{"n": number}, [number, "x"], {"a": {"b": [number]}, "c": "0e-00"}]
    for value in values:
        assert canonical_bytes(value) == rfc8785.dumps(value)


def test_negative_zero_is_found_after_the_points_are_dropped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    doc = {"a": [-0.0, -10.0, "-0", 0.0, -0.5], "b": "-0.0", "c": {"d": -0.0}, "e": -20.0}
    assert fast_path_only(monkeypatch, doc) == (
        b'{"a":[0,-10,"-0",0,-0.5],"b":"-0.0","c":{"d":0},"e":-20}'
    )
    # No whole float at all: "-0" text stays as it is and no point is dropped.
    assert fast_path_only(monkeypatch, {"a": "-0", "b": [-0.5, "-0\x00"]}) == (
        b'{"a":"-0","b":[-0.5,"-0\\u0000"]}'
    )


@pytest.mark.parametrize(
    "astral", ["\U00010000", "\U00040000", "\U0008ffff", "\U000c0000", "\U00100000"]
)
def test_astral_keys_from_every_utf8_lead_byte_sort_by_utf16(astral: str) -> None:
    # Lead bytes F0..F4: each is looked for on its own. Beside U+FFFF the UTF-16 order (a
    # surrogate, D800..DBFF, first) differs from the code point order the encoder sorts by.
    assert astral.encode()[0] in range(0xF0, 0xF5)
    value: Any = {"\uffff": 1, astral: 2, "a": "\u00e9"}
    assert canonical_bytes(value) == rfc8785.dumps(value)
    assert canonical_bytes(value).index(astral.encode()) < canonical_bytes(value).index(
        "\uffff".encode()
    )
