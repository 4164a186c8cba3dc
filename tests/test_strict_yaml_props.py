"""Property tests: every YAML style of a document loads to the same value and spec_hash, and
the loader never raises, whatever bytes it is given."""

from __future__ import annotations

import json
from typing import Any

import rfc8785
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kfm_bot.canonical import canonical_bytes, spec_hash
from kfm_bot.yaml.strict import load_strict
from kfm_bot.yaml.styles import restyle

# Invisible characters are refused on purpose (see kfm_bot/yaml/invisible.py); everything else goes.
INVISIBLE = "\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
INVISIBLE += "\u2060\u2066\u2067\u2068\u2069\ufeff"
TEXT = st.text(
    st.characters(blacklist_categories=["Cs"], blacklist_characters=INVISIBLE), max_size=12
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(2**53) + 1, 2**53 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | TEXT
    | st.sampled_from(["yes", "no", "on", "null", "~", "2024-01-01", "0755", "<<", "- x", "a: b"])
    | st.sampled_from(["#c", "'q'", '"d"', "line\nbreak\n", "tail\n\n", " lead", "x\r\ny"])
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=16,
)
DOCS = st.dictionaries(TEXT, JSON, max_size=6)
# Digests, URLs, `x:y`: plain in YAML 1.2 flow style, refused there by libyaml.
COLON_TEXT = st.from_regex(r"[a-z][a-z0-9_.-]{0,6}(:(//)?[a-z0-9_./-]{1,8}){1,3}", fullmatch=True)
COLON_DOCS = st.dictionaries(
    TEXT | COLON_TEXT,
    st.recursive(
        COLON_TEXT | SCALARS,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(COLON_TEXT, inner, max_size=3),
        max_leaves=8,
    ),
    min_size=1,
    max_size=5,
)
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(DOCS)
def test_every_style_loads_to_the_same_value_and_hash(doc: dict[str, Any]) -> None:
    expected = spec_hash(doc)
    assert canonical_bytes(doc) == rfc8785.dumps(doc)
    texts = restyle(doc)
    assert json.loads(texts["json"]) == doc  # the JSON style is real JSON
    for style, text in texts.items():
        loaded = load_strict(text, f"{style}.yaml")
        assert loaded.findings == (), (style, text, loaded.findings)
        assert loaded.data == doc, (style, text)
        assert spec_hash(loaded.data) == expected, style


@settings(max_examples=80, deadline=None)
@given(COLON_DOCS)
def test_flow_style_with_colons_in_plain_scalars_hashes_as_block_style(doc: dict[str, Any]) -> None:
    texts = restyle(doc)
    flow, block = load_strict(texts["flow_colons"], "flow.yaml"), load_strict(texts["block"], "b")
    assert flow.findings == (), (texts["flow_colons"], flow.findings)
    assert flow.data == doc
    assert block.data is not None and spec_hash(flow.data) == spec_hash(block.data)


def test_the_flow_colons_style_writes_colons_plain() -> None:
    text = restyle({"d": "sha256:ab", "u": ["https://x.org/a"]})["flow_colons"]
    assert text == b"{d: sha256:ab, u: [https://x.org/a]}\n"


@settings(max_examples=60, deadline=None)
@given(DOCS, st.randoms(use_true_random=False))
def test_key_order_does_not_change_the_hash(doc: dict[str, Any], rng: Any) -> None:
    items = list(doc.items())
    rng.shuffle(items)
    assert spec_hash(dict(items)) == spec_hash(doc)


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=200))
def test_loader_never_raises_on_arbitrary_bytes(raw: bytes) -> None:
    loaded = load_strict(raw, "fuzz.yaml")
    assert (loaded.data is None) == bool(loaded.findings)
    assert loaded.data is None or type(loaded.data) is dict
    for finding in loaded.findings:
        assert finding.line is not None and finding.line >= 1
        assert finding.column is not None and finding.column >= 1
    loaded.locate(["a", 0])


@settings(max_examples=200, deadline=None)
@given(DOCS, st.data())
def test_loader_never_raises_on_mutated_yaml(doc: dict[str, Any], data: st.DataObject) -> None:
    texts = restyle(doc)
    raw = bytearray(texts[data.draw(st.sampled_from(sorted(texts)))])
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(raw)))
        chunk = data.draw(st.sampled_from([b"&a ", b"*a", b"!!str ", b"[", b"{", b"\t", b"\x00"]))
        raw[at:at] = data.draw(st.binary(max_size=3) | st.just(chunk))
    loaded = load_strict(bytes(raw), "mutated.yaml")
    assert (loaded.data is None) == bool(loaded.findings)


def _pointers(value: Any, pointer: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """Every JSON path of a value in document order, the value's own first."""
    found = [pointer]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _pointers(item, (*pointer, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _pointers(item, (*pointer, index))
    return found


@settings(max_examples=60, deadline=None)
@given(DOCS)
def test_every_value_and_key_has_its_own_position(doc: dict[str, Any]) -> None:
    for style in ("block", "flow", "json", "literal"):
        text = restyle(doc)[style]
        loaded = load_strict(text, "x.yaml")
        index = loaded._positions().values or {}
        places = []
        for pointer in _pointers(doc):
            assert pointer in index, (style, pointer)
            places.append(loaded.locate(pointer))
            if pointer and isinstance(pointer[-1], str):
                assert loaded.locate_key(pointer) <= loaded.locate(pointer)
        assert places[1:] == sorted(places[1:]), style  # document order
        assert all(line <= text.count(b"\n") for line, _ in places)
