"""Gate C's branchy logic: label ranks, the redaction plan and its PROV record, fixtures."""

from __future__ import annotations

import time

import pytest

from kfm_bot.gates.c_sensitivity import sensitivity
from kfm_bot.gates.c_sensitivity.fixture_formats import json_text
from kfm_bot.gates.c_sensitivity.precision import Offence, Tally, decimals
from tests.bcd_support import context, rules

SPEC_A = "specs/archaeo_site_density/spec.yaml"
SPEC_W = "specs/ks_water_wells/spec.yaml"
SRC_W = "registry/sources/kgs-water-wells.yaml"
FIX_A = "specs/archaeo_site_density/fixtures/site_density_sample.geojson"


@pytest.mark.parametrize(
    ("fraction", "exponent", "places"),
    [
        ("25", None, 2),
        ("2500", None, 2),
        (None, None, 0),
        ("5", "2", 0),
        ("1234", "2", 2),
        (None, "-5", 5),
        ("1", "-3", 4),
        ("1", "-99999999", 1_000_001),
    ],
)
def test_decimals(fraction: str | None, exponent: str | None, places: int) -> None:
    assert decimals(fraction, exponent) == places


def over_precise(
    text: str, limit: int, cap: int = 5, lines: bool = False
) -> tuple[list[Offence], int]:
    tally = Tally(limit, cap)
    json_text.scan(text, tally, lines=lines)
    return tally.found, tally.total


def test_over_precise_locates_lines_without_values() -> None:
    text = (
        '{"type": "Feature", "properties": {"note": "1.23456", "lat": 38.123},\n'
        ' "bbox": [1.5, 2.5, 3.5, 4.5],\n'
        ' "geometry": {"type": "LineString", "coordinates": [[-97.1, 38.2],\n'
        "   [-97.12345, 38.2], [-97.1,\n"
        "   38.20000001]]}}\n"
    )
    found, total = over_precise(text, 2)
    assert total == 3
    assert [(o.line, o.decimals) for o in found] == [(1, 3), (4, 5), (5, 8)]
    assert (found[1].line, found[1].column) == (4, 5)


def test_over_precise_caps_per_file_and_counts_all() -> None:
    text = "\n".join(f'{{"coordinates": [1.{i:04d}1, 2.5]}}' for i in range(50))
    found, total = over_precise(text, 2, cap=3, lines=True)
    assert total == 50 and [o.line for o in found] == [1, 2, 3]
    one_line = '{"coordinates": [' + ", ".join(["1.123"] * 40) + "]}"
    found, total = over_precise(one_line, 2, cap=3)
    assert total == 40 and len(found) == 1  # one finding per line


def test_fixture_finding_never_echoes_the_coordinate() -> None:
    ctx = context(replace={FIX_A: ("-96.61", "-96.6138472")})
    found = [f for f in sensitivity.run(ctx) if f.rule == "C.fixture-precision"]
    assert len(found) == 1
    assert (found[0].path, found[0].line) == (FIX_A, 27)
    assert "96.61" not in found[0].message and "6138472" not in found[0].message


def test_fixture_limit_is_the_stricter_of_plan_and_label() -> None:
    # The plan allows 3, the restricted label only 2: 3 decimals still fail.
    ctx = context(
        replace={
            SPEC_A: ("  precision_decimals: 2", "  precision_decimals: 3"),
            FIX_A: ("-96.61", "-96.612"),
        }
    )
    assert "C.fixture-precision" in rules(sensitivity.run(ctx))
    ctx = context(
        replace={
            SPEC_A: ("  precision_decimals: 2", "  precision_decimals: 1"),
            FIX_A: ("-96.61", "-96.6"),
        }
    )
    found = [f for f in sensitivity.run(ctx) if f.rule == "C.fixture-precision"]
    assert found and all("1 allowed" in f.message for f in found)


def test_fixtures_of_non_sensitive_public_data_are_not_checked() -> None:
    fixture = "specs/ks_water_wells/fixtures/ks_wells_sample.geojson"
    ctx = context(edits={fixture: '{"type": "Point", "coordinates": [-97.123456, 38.123456]}\n'})
    assert sensitivity.run(ctx) == []


@pytest.mark.parametrize(
    ("dataset_label", "source_label", "downgraded"),
    [
        ("public", "internal", True),
        ("internal", "internal", False),
        ("restricted", "public", False),
        ("internal", "restricted", True),
    ],
)
def test_downgrade_ranks(dataset_label: str, source_label: str, downgraded: bool) -> None:
    ctx = context(
        replace={
            SPEC_W: ("policy_label: public", f"policy_label: {dataset_label}"),
            SRC_W: ("policy_label: public", f"policy_label: {source_label}"),
        }
    )
    found = [f for f in sensitivity.run(ctx) if f.rule == "C.label-downgrade"]
    assert bool(found) is downgraded
    if found:
        assert (found[0].path, found[0].line) == (SPEC_W, 32) and source_label in found[0].message


def test_restricted_dataset_without_sensitive_sources_needs_a_plan() -> None:
    ctx = context(replace={SPEC_W: ("policy_label: public", "policy_label: restricted")})
    found = [f for f in sensitivity.run(ctx) if f.rule == "C.redaction-missing"]
    assert len(found) == 1 and "`restricted`" in found[0].message


def test_plan_method_none_is_no_plan() -> None:
    ctx = context(replace={SPEC_A: ("  method: aggregate", "  method: none")})
    assert "C.redaction-missing" in rules(sensitivity.run(ctx))


def test_generalization_role_counts_as_a_redaction_record() -> None:
    prov = "specs/archaeo_site_density/catalog/prov.json"
    ctx = context(replace={prov: ('"kfm:role": "redaction"', '"kfm:role": "generalization"')})
    assert sensitivity.run(ctx) == []


def test_missing_labels_policy_fails_closed() -> None:
    ctx = context(base_edits={"policies/labels.yaml": None})
    found = sensitivity.run(ctx)
    assert "C.label-unknown" in rules(found)
    assert all("unavailable" in f.message for f in found if f.rule == "C.label-unknown")


def test_precision_scan_is_fast_on_a_large_fixture() -> None:
    feature = '{"type": "Feature", "geometry": {"type": "Point", "coordinates": [-97.12, 38.95]}}'
    precise = feature.replace("-97.12", "-97.123")
    text = '{"type": "FeatureCollection", "features": [\n' + ",\n".join([feature] * 40_000)
    # CPU time of this process, not wall time: on a shared machine (or beside another xdist
    # worker) the wall clock measures the neighbours, and a quadratic scan shows in both.
    start = time.process_time()
    found, total = over_precise(text + ",\n" + precise + "]}", 2)
    assert time.process_time() - start < 2.0
    assert total == 1 and found[0].line == 40_002


PROV_A = "specs/archaeo_site_density/catalog/prov.json"


@pytest.mark.parametrize(
    ("prov_edit", "line", "words"),
    [
        # The run rounded to 4 places while the plan promises 2.
        (
            ('"kfm:precision_decimals": 2', '"kfm:precision_decimals": 4'),
            42,
            "= 4, but the plan sets 2",
        ),
        # Cells of a single site were published: the run suppressed below 1, not below 3.
        (('"kfm:min_cell_count": 3', '"kfm:min_cell_count": 1'), 43, "= 1, but the plan sets 3"),
        (
            ('"kfm:min_cell_count": 3', '"kfm:min_cell_count": "3"'),
            43,
            '= "3", but the plan sets 3',
        ),
        (
            ('"kfm:precision_decimals": 2', '"kfm:precision_decimals": true'),
            42,
            "= true, but the plan sets 2",
        ),
        # A parameter the plan sets but PROV leaves out: located at the activity.
        (('"kfm:precision_decimals": 2,\n', ""), 37, "does not record"),
        (('"kfm:min_cell_count": 3,\n', ""), 37, "does not record"),
    ],
)
def test_prov_redaction_parameters_must_agree_with_the_plan(
    prov_edit: tuple[str, str], line: int, words: str
) -> None:
    ctx = context(replace={PROV_A: prov_edit})
    found = [f for f in sensitivity.run(ctx) if f.rule == "C.redaction-prov-mismatch"]
    assert [(f.path, f.line) for f in found] == [(PROV_A, line)], found
    assert words in found[0].message


def test_prov_parameter_the_plan_does_not_set_is_a_disagreement() -> None:
    ctx = context(replace={SPEC_A: ("  min_cell_count: 3\n", "")})
    found = [f for f in sensitivity.run(ctx) if f.rule == "C.redaction-prov-mismatch"]
    assert [(f.path, f.line) for f in found] == [(PROV_A, 43)]
    assert "redaction.min_cell_count" in found[0].message


def test_plan_suppression_threshold_lower_than_prov_is_a_disagreement() -> None:
    ctx = context(replace={SPEC_A: ("  min_cell_count: 3\n", "  min_cell_count: 5\n")})
    found = [f for f in sensitivity.run(ctx) if f.rule == "C.redaction-prov-mismatch"]
    assert [(f.path, f.line) for f in found] == [(PROV_A, 43)]
    assert "plan sets 5" in found[0].message


@pytest.mark.parametrize(
    ("replace", "line", "words"),
    [
        # The run counted another property than the one the plan names.
        (
            {PROV_A: ('"kfm:count_property": "site_count"', '"kfm:count_property": "sites"')},
            44,
            '= "sites", but the plan sets "site_count"',
        ),
        # The plan names a count property the run does not record.
        ({PROV_A: ('      "kfm:count_property": "site_count",\n', "")}, 37, "does not record"),
        # The plan drops a property (a surveyor's name) that the run kept.
        (
            {
                SPEC_A: (
                    "  count_property: site_count\n",
                    "  count_property: site_count\n  suppress_properties: [surveyor, finder]\n",
                )
            },
            37,
            '`kfm:suppress_properties`; the plan sets ["surveyor", "finder"]',
        ),
        # The run dropped a different set than the plan.
        (
            {
                SPEC_A: (
                    "  count_property: site_count\n",
                    "  count_property: site_count\n  suppress_properties: [surveyor, finder]\n",
                ),
                PROV_A: (
                    '"kfm:count_property": "site_count",',
                    '"kfm:count_property": "site_count", "kfm:suppress_properties": ["finder"],',
                ),
            },
            44,
            "kfm:suppress_properties",
        ),
    ],
)
def test_prov_count_and_suppressed_properties_must_agree_with_the_plan(
    replace: dict[str, tuple[str, str]], line: int, words: str
) -> None:
    ctx = context(replace=replace)
    found = [f for f in sensitivity.run(ctx) if f.rule == "C.redaction-prov-mismatch"]
    assert [(f.path, f.line) for f in found] == [(PROV_A, line)], found
    assert words in found[0].message


def test_prov_suppressed_properties_in_another_order_agree_with_the_plan() -> None:
    ctx = context(
        replace={
            SPEC_A: (
                "  count_property: site_count\n",
                "  count_property: site_count\n  suppress_properties: [surveyor, finder]\n",
            ),
            PROV_A: (
                '"kfm:count_property": "site_count",',
                '"kfm:count_property": "site_count", "kfm:suppress_properties": '
                '["finder", "surveyor"],',
            ),
        }
    )
    assert [f for f in sensitivity.run(ctx) if f.rule.startswith("C.redaction")] == []
