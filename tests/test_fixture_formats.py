"""Gate C as an attacker tries it: precise coordinates hidden in every fixture format.

Each case adds or rewrites a fixture of the restricted, sensitive-location dataset
`archaeo_site_density` (plan: 2 decimal places) and expects gate C to find it, located,
without the value in any message.
"""

from __future__ import annotations

import time

import pytest

from kfm_bot.findings import Finding
from kfm_bot.gates.c_sensitivity import sensitivity
from tests.bcd_support import context

FIXTURES = "specs/archaeo_site_density/fixtures"
SRC_W = "registry/sources/kgs-water-wells.yaml"
LON, LAT = "-96.6138472", "39.1712634"  # a "site": both must never be echoed
SECRET_DIGITS = ("6138472", "1712634")


def _fixture_findings(files: dict[str, str | bytes], rule: str) -> list[Finding]:
    findings = sensitivity.run(context(edits=files))
    for f in findings:
        assert not any(d in f.message for d in SECRET_DIGITS), f.message
    return [f for f in findings if f.rule == rule]


def _geojson(properties: str, coordinates: str = "[-96.61, 39.17]") -> str:
    return (
        '{"type": "FeatureCollection", "features": [\n'
        '  {"type": "Feature",\n'
        f'   "properties": {properties},\n'
        f'   "geometry": {{"type": "Point", "coordinates": {coordinates}}}}}\n'
        "]}\n"
    )


@pytest.mark.parametrize(
    ("name", "body", "line"),
    [
        # A JSON escape makes the same key: "coordin\u0061tes" is "coordinates".
        (
            "escaped-key.geojson",
            '{"type": "Point",\n "coordin\\u0061tes": [' + LON + ", " + LAT + "]}\n",
            2,
        ),
        ("escaped-bbox.json", '{\n"\\u0062box": [' + LON + ", 39.1, -96.2, 39.5]}\n", 2),
        ("escaped-lat.json", '[{"id": 1},\n {"l\\u0061t": ' + LAT + "}]\n", 2),
        # Coordinates written as strings are still coordinates.
        ("string-coords.geojson", _geojson("{}", f'["{LON}", "{LAT}"]'), 4),
        # A renamed key: the array still has the shape of a position.
        ("renamed.json", '{"sites": [\n  {"c": [' + LON + ", " + LAT + "]}]}\n", 2),
        ("renamed-object.json", '[{"id": 1},\n {"a": ' + LON + ', "b": ' + LAT + "}]\n", 2),
        ("flat.json", '{"c": [-96.61, 39.17,\n ' + LON + ", " + LAT + "]}\n", 2),
        ("labelled.json", '{"c": ["site 4",\n ' + LON + ", " + LAT + ", 312.5]}\n", 2),
        ("in-a-key.json", '{"sites": {\n "' + LON + " " + LAT + '": 1}}\n', 2),
        # Names that say latitude/longitude in other words.
        ("named.json", '{"items": [{"id": 2,\n "siteLatitude": ' + LAT + "}]}\n", 2),
        ("x-y.json", '{"features": [{"x": 1,\n "y": ' + LAT + "}]}\n", 2),
        # A precise copy hidden behind a duplicate key (parsers keep only the last one).
        (
            "duplicate.geojson",
            '{"type": "Point", "coordinates":\n ['
            + LON
            + ", "
            + LAT
            + '],\n "coordinates": [1, 2]}',
            2,
        ),
        # A position as one string inside properties.
        ("pair-string.geojson", _geojson('{"loc": "' + LON + ", " + LAT + '"}'), 3),
    ],
)
def test_json_fixtures_are_judged_on_decoded_content(name: str, body: str, line: int) -> None:
    found = _fixture_findings({f"{FIXTURES}/{name}": body}, "C.fixture-precision")
    assert [(f.path, f.line) for f in found] == [(f"{FIXTURES}/{name}", line)]
    assert "7 decimal places" in found[0].message and "2 allowed" in found[0].message


@pytest.mark.parametrize(
    "wkt",
    [
        f"POINT ({LON} {LAT})",
        f"point({LON} {LAT})",
        f"SRID=4326;POINT Z ({LON} {LAT} 312)",
        f"LINESTRING (-96.61 39.17, {LON} {LAT})",
        f"POLYGON ((-96.61 39.17, -96.6 39.2, {LON} {LAT}, -96.61 39.17))",
        f"MULTIPOINT M ((-96.61 39.17 1), ({LON} {LAT} 2))",
        f"MULTILINESTRING ZM ((-96.61 39.17 1 2, {LON} {LAT} 3 4))",
        f"MULTIPOLYGON (((-96.61 39.17, {LON} {LAT}, -96.6 39.2, -96.61 39.17)))",
        f"GEOMETRYCOLLECTION (POINT (-96.61 39.17), POINTZ ({LON} {LAT} 5))",
        f"site was at POINT({LON} {LAT}) before the survey",
        f"\\u0050OINT ({LON} {LAT})",  # an escape inside the JSON string
    ],
)
def test_wkt_inside_properties_is_inspected(wkt: str) -> None:
    body = _geojson('{"cell_id": "5070-10km-0041-0190", "note": "' + wkt + '"}')
    found = _fixture_findings({f"{FIXTURES}/wkt.geojson": body}, "C.fixture-precision")
    assert [(f.line, "WKT" in f.message) for f in found] == [(3, True)]


def test_coarse_wkt_and_coordinates_pass() -> None:
    body = _geojson('{"note": "MULTIPOINT ((-96.61 39.17), (-96.6 39.2))", "share": 0.12345}')
    assert _fixture_findings({f"{FIXTURES}/wkt.geojson": body}, "C.fixture-precision") == []


@pytest.mark.parametrize(
    ("body", "line"),
    [
        (f"POINT ({LON} {LAT})\n", 1),
        (f"POINT (-96.61 39.17)\n\nPOINT Z ({LON} {LAT} 312)\n", 3),
        (f"POINT (-96.61 39.17); LINESTRING (-96.6 39.2,\n {LON} {LAT})", 2),
        (f"POLYGON ((-96.61 39.17, {LON} {LAT}", 1),  # never closed: the rest is judged
    ],
)
def test_wkt_fixture_files_are_judged_geometry_by_geometry(body: str, line: int) -> None:
    found = _fixture_findings({f"{FIXTURES}/sites.wkt": body}, "C.fixture-precision")
    assert [(f.path, f.line) for f in found] == [(f"{FIXTURES}/sites.wkt", line)]


@pytest.mark.parametrize(
    ("body", "line"),
    [
        (f"site 4: {LON} {LAT}\n", 1),  # not a geometry at all
        (f"POINT (-96.61 39.17)\nnote {LON} {LAT}\n", 2),  # text between geometries
    ],
)
def test_wkt_fixture_files_with_other_text_fail_closed(body: str, line: int) -> None:
    found = _fixture_findings({f"{FIXTURES}/sites.wkt": body}, "C.fixture-uninspectable")
    assert [(f.path, f.line) for f in found] == [(f"{FIXTURES}/sites.wkt", line)]
    assert "not a WKT geometry" in found[0].message


def test_coarse_wkt_fixture_files_pass() -> None:
    body = "POINT (-96.61 39.17)\n\nMULTIPOINT ((-96.6 39.2), (-96.5 39.3)),\n"
    assert _fixture_findings({f"{FIXTURES}/sites.wkt": body}, "C.fixture-precision") == []
    assert _fixture_findings({f"{FIXTURES}/sites.wkt": body}, "C.fixture-uninspectable") == []


@pytest.mark.parametrize(
    ("name", "body", "line"),
    [
        ("sites.csv", f"cell_id,lat,lon,count\nA,39.17,-96.61,4\nB,{LAT},{LON},3\n", 3),
        ("sites.tsv", f"id\tLongitude\tLatitude\n1\t{LON}\t{LAT}\n", 2),
        ("xy.csv", f"id;x;y\n1;-96.61;39.17\n2;{LON};{LAT}\n", 3),
        ("quoted.csv", f'"cell","site_lon","site_lat"\n"A","{LON}","{LAT}"\n', 2),
        # No telling header: the values have the shape of longitude/latitude.
        ("shape.csv", f"cell,a,b,n\nA,-96.61,39.17,4\nB,{LON},{LAT},3\n", 3),
        ("no-header.tsv", f"-96.61\t39.17\n{LON}\t{LAT}\n", 2),
        # Data rows written with another delimiter than the header's.
        ("mixed-delimiters.csv", f"cell;n;note\nA;4;ok\nB,3,{LON},{LAT}\n", 3),
        ("free-text.tsv", f"cell\tnote\nA\tsite 4 found at {LAT} N, {LON} W\n", 2),
        # WKT in a cell.
        ("geom.csv", f'id,geom\n1,"POINT ({LON} {LAT})"\n', 2),
        ("bom.csv", f"\ufefflat,lon\n{LAT},{LON}\n", 2),
    ],
)
def test_csv_and_tsv_coordinate_columns(name: str, body: str, line: int) -> None:
    found = _fixture_findings({f"{FIXTURES}/{name}": body}, "C.fixture-precision")
    assert [(f.path, f.line) for f in found] == [(f"{FIXTURES}/{name}", line)]


def test_csv_columns_of_coarse_values_and_unrelated_numbers_pass() -> None:
    body = "cell,lat,lon,density\nA,39.17,-96.61,0.5\nB,38.2,-97.1,1.25\n"
    assert _fixture_findings({f"{FIXTURES}/cells.csv": body}, "C.fixture-precision") == []


@pytest.mark.parametrize(
    ("name", "raw", "line"),
    [
        ("sites.bin", b"\x00\x01KFM" + LON.encode() + b"\x00" + LAT.encode(), 1),
        ("sites.parquet", b"PAR1\x00\x00" + LON.encode(), 1),
        ("sites.geojson.gz", b"\x1f\x8b\x08\x00" + LON.encode(), 1),
        ("sites.kml", f"<kml><coordinates>{LON},{LAT}</coordinates></kml>".encode(), 1),
        ("notes", f"site at {LON} {LAT}\n".encode(), 1),
        ("latin1.geojson", b'{"coordinates": [-96.61, 39.17], "n": "\xe9"}', 1),
        ("broken.geojson", b'{"type": "Point",\n "coordinates": [' + LON.encode() + b",]}", 2),
        ("trailing.json", b'{"coordinates": [1, 2]}\n{"coordinates": [3, 4]}\n', 2),
        ("nan.json", b'{"coordinates": [NaN, 39.17]}', 1),
        ("deep.json", b"[" * 200_000 + b"]" * 200_000, 1),
        ("binary.csv", b"lat,lon\n\x00\x00\x00" + LAT.encode() + b"\n", 2),
    ],
)
def test_fixtures_the_bot_cannot_inspect_fail_closed(name: str, raw: bytes, line: int) -> None:
    found = _fixture_findings({f"{FIXTURES}/{name}": raw}, "C.fixture-uninspectable")
    assert [(f.path, f.line) for f in found] == [(f"{FIXTURES}/{name}", line)]


def test_uninspectable_fixture_of_a_sensitive_location_source_fails_closed() -> None:
    # A public dataset, but its source has sensitive locations: it needs a plan and safe fixtures.
    ctx = context(
        replace={SRC_W: ("sensitive_locations: false", "sensitive_locations: true")},
        edits={"specs/ks_water_wells/fixtures/wells.bin": "\x00" + LON},
    )
    found = [f for f in sensitivity.run(ctx) if f.rule == "C.fixture-uninspectable"]
    assert [f.path for f in found] == ["specs/ks_water_wells/fixtures/wells.bin"]


def test_fixtures_of_public_non_sensitive_data_are_not_inspected() -> None:
    ctx = context(edits={"specs/ks_water_wells/fixtures/wells.bin": "\x00" + LON})
    assert sensitivity.run(ctx) == []


def test_an_oversized_fixture_fails_closed_without_being_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from kfm_bot.gates.c_sensitivity import fixtures

    monkeypatch.setattr(fixtures, "MAX_FIXTURE_BYTES", 1024)
    body = _geojson('{"pad": "' + "x" * 2000 + '"}')
    found = _fixture_findings({f"{FIXTURES}/big.geojson": body}, "C.fixture-uninspectable")
    assert len(found) == 1 and "larger than 1024 bytes" in found[0].message


def test_a_fixture_full_of_precise_rows_is_judged_in_bounded_time() -> None:
    rows = "".join(f"C{i},{i % 9},{LAT},{LON}\n" for i in range(100_000))
    start = time.process_time()  # CPU time: the bound is on work done, not on machine load
    found = _fixture_findings(
        {f"{FIXTURES}/many.csv": "cell,n,lat,lon\n" + rows}, "C.fixture-precision"
    )
    assert time.process_time() - start < 2.0
    assert [f.line for f in found] == [2, 3, 4]
    assert "1000 or more such numbers" in found[0].message
