"""Gate A identity checks on in-memory trees: ids, names, references, promotions, YAML."""

from __future__ import annotations

from kfm_bot.findings import Finding
from kfm_bot.gates.a_identity import identity
from tests.bad_trees import content
from tests.bad_trees.memory import MemorySnapshot, context

SRC = "registry/sources/county-lines.yaml"
SPEC = "specs/county_lines/spec.yaml"


def _run(files: dict[str, bytes], base: dict[str, bytes] | None = None) -> list[Finding]:
    head = MemorySnapshot(files)
    return identity.run(context(head, MemorySnapshot(base) if base is not None else None))


def _rules(findings: list[Finding]) -> set[str]:
    return {f.rule for f in findings}


def _edit(path: str, old: str, new: str) -> dict[str, bytes]:
    files = content.files()
    files[path] = files[path].decode().replace(old, new).encode()
    return files


def test_valid_tree_has_no_findings() -> None:
    assert _run(content.files()) == []
    assert _run(content.files(), base=content.files()) == []


def test_source_id_format_is_located_and_zero_width_characters_are_caught() -> None:
    found = _run(_edit(SRC, "source_id: county-lines", "source_id: County_Lines"))
    (f,) = found
    assert (f.rule, f.path, f.line) == ("A.source-id-format", SRC, 2)
    hidden = _run(_edit(SRC, "source_id: county-lines", 'source_id: "county\u200b-lines"'))
    assert [(f.path, f.line) for f in hidden] == [(SRC, 2)]
    assert hidden[0].rule.startswith("A.")


def test_source_id_must_equal_file_stem() -> None:
    found = _run(_edit(SRC, "source_id: county-lines", "source_id: county-line"))
    assert _rules(found) == {"A.source-id-mismatch"}


def test_dataset_slug_format_and_directory() -> None:
    bad = _run(_edit(SPEC, "dataset_slug: county_lines", "dataset_slug: County-Lines"))
    assert _rules(bad) == {"A.dataset-slug-format"}
    other = _run(_edit(SPEC, "dataset_slug: county_lines", "dataset_slug: county_lanes"))
    assert _rules(other) == {"A.dataset-slug-mismatch"}
    assert other[0].line == 2


def test_unknown_and_repeated_sources() -> None:
    found = _run(
        _edit(SPEC, "sources: [county-lines]", "sources: [county-lines, nope-src, nope-src]")
    )
    assert sorted(f.rule for f in found) == [
        "A.duplicate-source-ref",
        "A.unknown-source",
        "A.unknown-source",
    ]
    assert all(f.path == SPEC and f.line == 5 for f in found)


def test_deleting_a_source_a_spec_uses_is_an_error_at_the_spec() -> None:
    head = content.files()
    del head[SRC]
    (f,) = _run(head, base=content.files())
    assert (f.rule, f.path, f.line) == ("A.source-in-use", SPEC, 5)


def test_renaming_a_used_source_is_an_error() -> None:
    head = content.files()
    head["registry/sources/county-borders.yaml"] = head.pop(SRC)
    found = _run(head, base=content.files())
    assert "A.source-in-use" in _rules(found)


def test_ids_are_unique_ignoring_case_and_unicode_form() -> None:
    files = content.files()
    files["registry/sources/County-lines.yaml"] = files[SRC]
    found = _run(files)
    assert any(
        f.rule == "A.id-collision" and f.path == "registry/sources/County-lines.yaml" for f in found
    )
    files = content.files()
    files["specs/county_lines\uff3fx/spec.yaml"] = files[SPEC]  # fullwidth low line
    files["specs/county_lines_x/spec.yaml"] = files[SPEC]
    assert "A.id-collision" in _rules(_run(files))


def test_any_change_to_promotions_or_ledger_is_an_error_but_not_with_all() -> None:
    manifest = "registry/promotions/county_lines/2026-11.0123abcd/promotion_manifest.json"
    base = {**content.files(), manifest: b"{}\n", "registry/ledger.jsonl": b"{}\n"}
    for head in (
        {**base, manifest: b'{"x": 1}\n'},
        {k: v for k, v in base.items() if k != manifest},
        {**base, "registry/ledger.jsonl": b"{}\n{}\n"},
        {**base, "registry/promotions/new/2026-11.0123abcd/policy_decision.json": b"{}\n"},
    ):
        found = _run(head, base=base)
        assert _rules(found) == {"A.promotion-edited"}, found
        assert all(f.line == 1 for f in found)
    assert _run({**base, manifest: b'{"x": 1}\n'}) == []


def test_any_change_to_a_sealed_ledger_segment_is_an_error() -> None:
    segment = "registry/ledger/00000001-00001000.jsonl"
    base = {**content.files(), segment: b"{}\n", "registry/ledger.jsonl": b"{}\n"}
    for head in (
        {**base, segment: b"{}\n{}\n"},  # edited
        {k: v for k, v in base.items() if k != segment},  # dropped
        {**base, "registry/ledger/00000001-00001001.jsonl": b"{}\n"},  # added (or renamed)
    ):
        found = _run(head, base=base)
        assert _rules(found) == {"A.promotion-edited"}, found
        assert {f.path for f in found} <= set(head) | set(base)


def test_strict_yaml_findings_of_in_scope_files_are_reported() -> None:
    files = content.files()
    files[SRC] += b"title: again\n"
    files["specs/county_lines/catalog/dcat.json"] = b'{"a": 1, "a": 2}\n'
    found = _run(files)
    paths = {f.path for f in found if f.rule.startswith("A.yaml")}
    assert paths == {SRC, "specs/county_lines/catalog/dcat.json"}, found
    assert all(f.line for f in found)
