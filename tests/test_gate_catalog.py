"""Gate D's branchy logic: catalog files, profile validation, paths and cross-links."""

from __future__ import annotations

import pytest

from kfm_bot.gates import catalog
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
