"""Gate D's branchy logic: catalog files, profile validation, paths and cross-links."""

from __future__ import annotations

import pytest

from kfm_bot.findings import Finding
from kfm_bot.gates.d_catalog import catalog
from kfm_bot.gates.engine.runner import run_all
from kfm_bot.gates.registry import GATES
from tests.bcd_support import context, rules

SPEC = "specs/ks_water_wells/spec.yaml"
DCAT = "specs/ks_water_wells/catalog/dcat.json"
STAC = "specs/ks_water_wells/catalog/stac.json"
PROV = "specs/ks_water_wells/catalog/prov.json"
ACCESS = '"dcat:accessURL": "fixtures/ks_wells_sample.geojson"'


def test_example_content_is_clean() -> None:
    assert catalog.run(context()) == []


@pytest.mark.parametrize(
    "href",
    [
        "/etc/passwd",
        "../ks_county_boundaries/spec.yaml",
        "fixtures\\x.geojson",
        "https://example.org/x.geojson",
        "C:/x.geojson",
    ],
)
def test_distribution_path_must_stay_inside_the_dataset(href: str) -> None:
    ctx = context(
        replace={DCAT: (ACCESS, f'"dcat:accessURL": "{href.replace(chr(92), chr(92) * 2)}"')}
    )
    found = [f for f in catalog.run(ctx) if f.rule == "D.path-escape"]
    assert len(found) == 1 and (found[0].path, found[0].line) == (DCAT, 31)


def test_stac_links_may_be_urls_but_relative_ones_must_exist() -> None:
    link = '    {\n      "rel": "license",\n      "href": "%s"\n    },\n'
    ok = context(replace={STAC: ('  "links": [\n', '  "links": [\n' + link % "https://x.org/l")})
    assert catalog.run(ok) == []
    bad = context(replace={STAC: ('  "links": [\n', '  "links": [\n' + link % "LICENSE.txt")})
    assert rules(catalog.run(bad)) == ["D.link-unresolved"]


def test_spec_catalog_path_escaping_is_located_in_the_spec() -> None:
    ctx = context(replace={SPEC: ("prov: catalog/prov.json", "prov: ../other/prov.json")})
    found = catalog.run(ctx)
    escape = [f for f in found if f.rule == "D.path-escape"]
    assert escape and escape[0].path == SPEC
    assert "D.catalog-mismatch" in rules(found)  # DCAT still names catalog/prov.json


def test_spec_without_dcat_is_missing() -> None:
    ctx = context(replace={SPEC: ("  dcat: catalog/dcat.json\n", "")})
    assert rules(catalog.run(ctx)) == ["D.catalog-missing"]


def test_stac_is_optional() -> None:
    dcat_stac = '  "kfm:stac": "catalog/stac.json",\n'
    ctx = context(
        replace={SPEC: ("  stac: catalog/stac.json\n", ""), DCAT: (dcat_stac, "")}, delete=[STAC]
    )
    assert catalog.run(ctx) == []


def test_unreadable_catalog_is_invalid_with_a_line() -> None:
    ctx = context(edits={PROV: '{"prefix": {}, "entity": {"a": 1}, "a": 1, "a": 2}\n'})
    found = [f for f in catalog.run(ctx) if f.rule == "D.catalog-invalid"]
    assert len(found) == 1 and found[0].path == PROV and found[0].line


def test_stac_may_say_other_for_a_compound_licence() -> None:
    both = "CC-BY-4.0 AND ODbL-1.0"
    ctx = context(
        replace={
            SPEC: ("spdx: CC-BY-4.0", f"spdx: {both}"),
            DCAT: ('"dct:license": "CC-BY-4.0"', f'"dct:license": "{both}"'),
            STAC: ('"license": "CC-BY-4.0"', '"license": "other"'),
        }
    )
    assert catalog.run(ctx) == []


def test_prov_must_reference_the_spec_and_outputs() -> None:
    ctx = context(replace={PROV: ('"kfm:spec": "spec.yaml"', '"kfm:note": "spec"')})
    found = catalog.run(ctx)
    assert rules(found) == ["D.prov-incomplete"] and "spec.yaml" in found[0].message
    ctx = context(
        replace={PROV: ('"kfm:path": "fixtures/ks_wells_sample.geojson"', '"kfm:note": "x"')}
    )
    assert "fixtures/ks_wells_sample.geojson" in catalog.run(ctx)[0].message


def test_stac_identifier_must_be_the_slug() -> None:
    ctx = context(replace={STAC: ('"id": "ks_water_wells"', '"id": "ks_wells"')})
    found = catalog.run(ctx)
    assert "D.identifier-mismatch" in rules(found)
    assert all(f.path == STAC for f in found if f.rule == "D.identifier-mismatch")


def _located(found: list[Finding], rule: str) -> list[tuple[str | None, int | None, int | None]]:
    return [(f.path, f.line, f.column) for f in found if f.rule == rule]


GHOST = '"kfm://source/kgs-water-wells",'


@pytest.mark.parametrize(
    ("ref", "rule"),
    [
        ('"kfm://source/kgs-water-well",', "D.source-unresolved"),  # not in the registry
        ('"kfm://source/../../specs/x",', "D.source-unresolved"),
        ('"https://www.kgs.ku.edu/wwc5",', "D.source-unresolved"),  # not a source reference
        ('{"@id": "kfm://source/nope"},', "D.source-unresolved"),
        ('"kfm://source/kdot-county-boundaries-2010",', "D.catalog-mismatch"),  # spec lacks it
    ],
)
def test_dcat_sources_must_be_registry_sources_the_spec_uses(ref: str, rule: str) -> None:
    found = catalog.run(context(replace={DCAT: (GHOST, ref)}))
    assert _located(found, rule) == [(DCAT, 20, 5)]
    assert rules(found) == [rule]


def test_dcat_sources_as_json_ld_nodes_resolve() -> None:
    ctx = context(replace={DCAT: (GHOST, '{"@id": "kfm://source/kgs-water-wells"},')})
    assert catalog.run(ctx) == []


def test_prov_source_ids_must_be_registry_sources_the_spec_uses() -> None:
    old = '"kfm:source_id": "kgs-water-wells"'
    found = catalog.run(context(replace={PROV: (old, '"kfm:source_id": "kgs-wells"')}))
    assert _located(found, "D.source-unresolved") == [(PROV, 9, 24)]
    other = '"kfm:source_id": "ks-historic-trails-scan"'
    found = catalog.run(context(replace={PROV: (old, other)}))
    assert _located(found, "D.catalog-mismatch") == [(PROV, 9, 24)]


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        (  # the run "used" an entity the document never defines
            '"prov:entity": "kfm:source/us-census-tiger-counties"\n    }\n  },',
            '"prov:entity": "kfm:source/us-census-tiger"\n    }\n  },',
            46,
        ),
        (
            '"prov:activity": "kfm:run/ks_water_wells-20261104T130000Z",\n      "prov:entity": '
            '"kfm:source/kgs-water-wells"',
            '"prov:activity": "kfm:run/other",\n      "prov:entity": "kfm:source/kgs-water-wells"',
            41,
        ),
        ('"prov:agent": "kfm:agent/pipeline"', '"prov:agent": "kfm:agent/someone"', 68),
        ('"prov:usedEntity": "kfm:source/kgs-water-wells"', '"prov:usedEntity": ["x"]', 58),
    ],
)
def test_prov_relations_name_defined_records(old: str, new: str, line: int) -> None:
    found = catalog.run(context(replace={PROV: (old, new)}))
    assert rules(found) == ["D.prov-undefined"]
    assert [(f.path, f.line) for f in found] == [(PROV, line)]


@pytest.mark.parametrize(
    ("old", "new", "line", "column"),
    [
        ('"kgs-water-wells"\n    },', '"kgs-water-wells"\n    }', 11, 5),  # missing comma
        ('"kgs-water-wells"\n', '"kgs-water-wells",\n', 10, 5),  # trailing comma: YAML reads it
        ('"prov:type": "kfm:Output"', "'prov:type': 'kfm:Output'", 16, 7),  # YAML quotes
        ('"prov:type": "kfm:Output"', '"prov:type": NaN', 16, 20),  # Python's json reads it
    ],
)
def test_invalid_json_is_a_json_error_at_its_line(
    old: str, new: str, line: int, column: int
) -> None:
    ctx = context(replace={PROV: (old, new)})
    found = [f for r in run_all(ctx, GATES) for f in r.findings if f.path == PROV]
    assert [(f.rule, f.line, f.column) for f in found] == [
        ("A.json-syntax", line, column),
        ("D.catalog-invalid", line, column),
    ]
    assert all("invalid JSON" in f.message and "YAML" not in f.message for f in found)
