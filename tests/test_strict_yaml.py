"""Strict YAML loading: accepted documents, refused constructs, located findings, positions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kfm_bot.canonical import spec_hash
from kfm_bot.yaml.strict import MAX_BYTES, Loaded, _load, load_file, load_strict

SPEC = b"""# yaml-language-server: $schema=../../schemas/pipeline_spec.v1.schema.json
kfm_pipeline_spec_version: v1
dataset_slug: ks_water_wells
title: "Kansas Water Wells"
sources: [kgs-water-wells, us-census-tiger-counties]
transforms:
  - id: drop_owner_fields
    tool: gdal-ogr2ogr
    version: "3.8.4"
    params: {select: [wwc5_id, depth_ft], tolerance: 0.5, features: 3, keep: null, on_error: skip}
outputs:
  - path: fixtures/ks_wells_sample.geojson
    media_type: application/geo+json
description: |
  Completed water wells.
  Owner names dropped.
policy_label: public
"""


def rules(loaded: Loaded) -> list[str]:
    return [finding.rule for finding in loaded.findings]


def test_accepts_a_spec_and_builds_json_values() -> None:
    loaded = load_strict(SPEC, "specs/ks_water_wells/spec.yaml")
    assert loaded.findings == ()
    data: Any = loaded.data  # the fixture's known shape, read by hand
    assert data is not None
    params = data["transforms"][0]["params"]
    assert params == {
        "select": ["wwc5_id", "depth_ft"],
        "tolerance": 0.5,
        "features": 3,
        "keep": None,
        "on_error": "skip",
    }
    assert data["transforms"][0]["version"] == "3.8.4"
    assert data["description"] == "Completed water wells.\nOwner names dropped.\n"


def test_positions_of_values_and_keys() -> None:
    loaded = load_strict(SPEC, "spec.yaml")
    assert loaded.locate(["dataset_slug"]) == (3, 15)
    assert loaded.locate_key(["dataset_slug"]) == (3, 1)
    assert loaded.locate(["sources", 1]) == (5, 28)
    assert loaded.locate(["transforms", 0, "params", "tolerance"]) == (10, 54)
    assert loaded.locate_key(["transforms", 0, "params", "tolerance"]) == (10, 43)
    assert loaded.locate(["outputs", 0, "media_type"]) == (13, 17)
    # absent paths fall back to the nearest existing ancestor, the root to (1, 1)
    assert loaded.locate(["outputs", 0, "missing"]) == (12, 5)
    assert loaded.locate(["nope", 3]) == (1, 1)
    assert loaded.locate([]) == (1, 1)


def test_bom_crlf_and_comments_do_not_matter() -> None:
    plain = load_strict(SPEC, "a.yaml").data
    assert load_strict(b"\xef\xbb\xbf" + SPEC.replace(b"\n", b"\r\n"), "b.yaml").data == plain


@pytest.mark.parametrize(
    ("text", "rule", "line", "column", "fix"),
    [
        ("a: 1\na: 2\n", "A.yaml-duplicate-key", 2, 1, "keep only one"),
        ("a: 2024-01-01\n", "A.yaml-unquoted-date", 1, 4, "quote it: '2024-01-01'"),
        ("a: .inf\n", "A.yaml-non-finite", 1, 4, "quote it"),
        ("a:\n  b: 9007199254740992\n", "A.yaml-int-range", 2, 6, "quote it"),
        ("a: -9007199254740992\n", "A.yaml-int-range", 1, 4, "quote it"),
        ("1: a\n", "A.yaml-non-string-key", 1, 1, "quote it: '1'"),
        ("a: yes\n", "A.yaml-ambiguous-bool", 1, 4, "quote it: 'yes'"),
        ("a: 0o17\n", "A.yaml-ambiguous-number", 1, 4, "quote it"),
        ("a: 1e3\n", "A.yaml-ambiguous-number", 1, 4, "write 1000.0"),
        ("a: 2E-7\n", "A.yaml-ambiguous-number", 1, 4, "write 2.0e-07"),
        ("a: !!binary aGk=\n", "A.yaml-tag", 1, 4, "remove it"),
        ("a: &x 1\n", "A.yaml-anchor", 1, 4, "write the value out"),
        ("%YAML 1.1\n---\na: 1\n", "A.yaml-directive", 1, 1, "delete the line"),
        ("a:\n\tb: 1\n", "A.yaml-tab-indent", 2, 1, "indent with spaces"),
        ("a: [1\n", "A.yaml-syntax", 2, 1, "is never closed; add ']'"),
    ],
)
def test_refused_constructs_are_located_with_a_fix(
    text: str, rule: str, line: int, column: int, fix: str
) -> None:
    loaded = load_strict(text.encode(), "x.yaml")
    assert loaded.data is None
    finding = loaded.findings[0]
    where = (finding.rule, finding.path, finding.line, finding.column)
    assert where == (rule, "x.yaml", line, column)
    assert fix in finding.message
    assert "\n" not in finding.message


def test_safe_integers_at_the_limits_are_accepted() -> None:
    data = load_strict(b"a: 9007199254740991\nb: -9007199254740991\nc: +5\n", "x").data
    assert data == {"a": 2**53 - 1, "b": -(2**53) + 1, "c": 5}


@pytest.mark.parametrize(
    "text",
    [
        "title: Persian \u200c text with a joiner\n",  # zero-width in free text is allowed
        "'y': 2\nx: n\n",  # YAML 1.1-only booleans y/n stay strings
        "v: '2024-01-01'\nw: 'yes'\nz: \"0755\"\n",
    ],
)
def test_accepted_edge_cases(text: str) -> None:
    assert load_strict(text.encode(), "x").findings == ()


def test_invisible_characters_in_ids_keys_and_anywhere_for_bidi() -> None:
    assert rules(load_strict("source_id: a\u200bb\n".encode(), "x")) == ["A.yaml-invisible-char"]
    assert rules(load_strict("a\u2060b: x\n".encode(), "x")) == ["A.yaml-invisible-char"]
    assert rules(load_strict("t: some text \u2067here\n".encode(), "x")) == [
        "A.yaml-invisible-char"
    ]
    assert rules(load_strict(b'source_id: "a\\u200db"\n', "x")) == ["A.yaml-invisible-char"]
    assert rules(load_strict("a: 1\n\ufeffb: 2\n".encode(), "x")) == ["A.yaml-invisible-char"]


def test_lone_surrogate_escapes_are_refused_by_both_parsers() -> None:
    for pure in (False, True):
        loaded = _load(b'a: "\\ud800"\n', "x", pure)
        assert loaded.data is None and loaded.findings


def test_findings_are_capped_per_rule() -> None:
    text = "".join(f"k{i}: &a{i} {i}\n" for i in range(40)).encode()
    found = load_strict(text, "x").findings
    assert len(found) == 6
    assert "more findings" in found[-1].message


def test_load_file_reads_a_bounded_prefix(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * (MAX_BYTES + 10) + b"\n")
    loaded = load_file(big, "big.yaml")
    assert rules(loaded) == ["A.yaml-too-large"]
    ok = tmp_path / "ok.yaml"
    ok.write_bytes(SPEC)
    assert load_file(ok, "specs/ok.yaml").path == "specs/ok.yaml"


def test_c_and_pure_parsers_agree() -> None:
    for text in (SPEC, b"a: 1\na: 2\n", b"- x\n", b"a: !t 1\n", b"{a: [1, {b: 2}]}\n"):
        fast, pure = _load(text, "x", pure=False), _load(text, "x", pure=True)
        assert fast.data == pure.data
        assert rules(fast) == rules(pure)


# YAML 1.2 flow style with colons inside plain scalars: libyaml refuses it, ruamel.yaml emits it.
FLOW_SPEC = b"""kfm_pipeline_spec_version: v1
dataset_slug: ks_water_wells
sources: [kgs-water-wells]
inputs: [{digest: sha256:0123abcd, url: https://example.org/wells.csv?x=1}]
links: {homepage: https://example.org/a#top, mirror: http://127.0.0.1:8080/w}
"""
BLOCK_SPEC = b"""kfm_pipeline_spec_version: v1
dataset_slug: ks_water_wells
sources:
  - kgs-water-wells
inputs:
  - digest: "sha256:0123abcd"
    url: https://example.org/wells.csv?x=1
links:
  homepage: https://example.org/a#top
  mirror: http://127.0.0.1:8080/w
"""


def test_colons_in_flow_scalars_read_as_yaml_1_2_with_the_block_hash() -> None:
    flow, block = load_strict(FLOW_SPEC, "flow.yaml"), load_strict(BLOCK_SPEC, "block.yaml")
    assert flow.findings == ()
    assert flow.data is not None and block.data is not None
    flowed: Any = flow.data  # the fixture's known shape, read by hand
    assert flowed["inputs"][0]["digest"] == "sha256:0123abcd"
    assert flowed["links"]["mirror"] == "http://127.0.0.1:8080/w"
    assert spec_hash(flow.data) == spec_hash(block.data)
    # findings on such a file are still located: positions come from the same reading
    assert flow.locate(["inputs", 0, "url"]) == (4, 41)
    assert flow.locate_key(["links", "mirror"]) == (5, 46)


def test_what_ruamel_emits_in_flow_style_loads() -> None:
    from io import StringIO

    from ruamel.yaml import YAML

    doc = {"a": {"digest": "sha256:ab", "url": "https://x.org/p"}, "b": ["x:y", "c"]}
    out = StringIO()
    emitter = YAML()
    emitter.default_flow_style = True
    emitter.dump(doc, out)
    text = out.getvalue().encode()
    assert b"sha256:ab" in text and b'"' not in text  # written plain, as YAML 1.2 allows
    assert load_strict(text, "x").data == doc


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        (b"a: {u: https://x}\n" + b"[" * 5000 + b"\n", "A.yaml-too-deep"),
        (b"%YAML 1.1\n---\na: {u: https://x}\n", "A.yaml-directive"),
        (b"a: {u: https://x, t: 2024-01-01}\n", "A.yaml-unquoted-date"),
        (b"a: {u: https://x, v: &x 1}\n", "A.yaml-anchor"),
        (b"a: {u: https://x, u: https://y}\n", "A.yaml-duplicate-key"),
        (b"a: {u: https://x}\n---\nb: 1\n", "A.yaml-multi-document"),
        ("a: {u: https://x\u202e}\n".encode(), "A.yaml-invisible-char"),
    ],
)
def test_guards_and_rules_still_apply_to_flow_colons(text: bytes, rule: str) -> None:
    loaded = load_strict(text, "x.yaml")
    assert loaded.data is None
    assert rule in rules(loaded)


@pytest.mark.parametrize(
    ("text", "line", "column", "fix"),
    [
        (b"a: {b: c: d}\n", 1, 9, "quote the value"),
        (b"a: [b, c: d: e]\n", 1, 12, "quote the value"),
        (b"a: {b: :c}\n", 1, 8, "cannot start with ':'"),
        (b"a: b: c\n", 1, 5, "quote the value"),
        (b"a: {b: https://x #frag}\n", 2, 1, "the '{' at 1:4 is never closed; add '}'"),
        (b"a: [b, c\n", 2, 1, "the '[' at 1:4 is never closed; add ']'"),
        (b"a: {b: c}}\n", 1, 10, "'}' closes a bracket that was never opened"),
        (b"a: {b: @x}\n", 1, 8, "'@' is reserved"),
        (b"a: {b: 'c}\n", 2, 1, "add the closing quote"),
    ],
)
def test_refused_flow_documents_say_how_to_write_them(
    text: bytes, line: int, column: int, fix: str
) -> None:
    loaded = load_strict(text, "x.yaml")
    assert loaded.data is None
    (finding,) = loaded.findings
    assert (finding.rule, finding.line, finding.column) == ("A.yaml-syntax", line, column)
    assert fix in finding.message
    assert "fix the line" not in finding.message
