"""CSV sources (`text/csv` with lon/lat columns) rendered as RFC 7946 Points, streamed."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from kfm_bot.export.generalise import Plan
from kfm_bot.export.geojson_bundle import render
from tests.export.bundle_world import RESTRICTED, bundle_world, put
from tests.export.conftest import Kfm

PLAN = Plan("aggregate", 2, 3, "site_count", ("surveyor",))
# A BOM, CRLF, a quoted comma and newline, a cell typed each way, a small cell, a -0 to be.
CSV = (
    "\ufeffcell_id,Longitude,LAT,site_count,surveyor,note,zip,ratio\r\n"
    'c1,-95.251234,38.948765,7,A. Smith,"dry, upland",06604,0.5\r\n'
    "c2,-96.61,39.17,2,B. Jones,,66044,1.25\r\n"
    'c3,-0.0001,38.36,4,,"two\nlines",,-3\r\n'
).encode("utf-8")
EXPECTED = (
    '{"type":"FeatureCollection","features":[\n'
    '{"type":"Feature","properties":{"cell_id":"c1","note":"dry, upland","ratio":0.5,'
    '"site_count":7,"zip":"06604"},"geometry":{"type":"Point","coordinates":[-95.25,38.95]}},\n'
    '{"type":"Feature","properties":{"cell_id":"c3","note":"two\\nlines","ratio":-3,'
    '"site_count":4,"zip":null},"geometry":{"type":"Point","coordinates":[0.00,38.36]}}\n'
    "]}\n"
).encode("ascii")


def rendered(data: bytes, size: int) -> bytes:
    out = io.BytesIO()
    chunks = (data[i : i + size] for i in range(0, len(data), size))
    done = render(chunks, "published/x.csv", "csv", PLAN, out)
    assert done.tally.features_read == 3 and done.tally.features_suppressed == 1
    return out.getvalue()


def test_csv_rows_become_generalised_points_whatever_the_chunk_size() -> None:
    for size in (1, 2, 3, 7, 64, len(CSV)):
        assert rendered(CSV, size) == EXPECTED


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"cell_id,site_count\nc1,3\n", "needs exactly one longitude column"),
        (b"x,lon,lat\n1,2,3\n", "needs exactly one longitude column"),
        (b"lon,lat,n\n1,2\n", "CSV row 1 has 2 cells; the header has 3"),
        (b"lon,lat\n1e5,2\n", "CSV row 1: a coordinate is not a decimal number"),
        (b"lon,lat\n\xff,2\n", "not UTF-8"),
        (b"", "no header row"),
    ],
)
def test_a_malformed_csv_names_what_is_wrong(data: bytes, words: str) -> None:
    from kfm_bot.export.layout import PackError

    with pytest.raises(PackError, match=words):
        render([data], "published/x.csv", "csv", PLAN, io.BytesIO())


def test_a_published_csv_is_rendered_into_the_bundle(tmp_path: Path, kfm: Kfm) -> None:
    zone = tmp_path / "w" / "published"
    zone.mkdir(parents=True)
    good = put(zone, RESTRICTED, CSV, ".csv") | {"media_type": "text/csv; charset=utf-8"}
    bad = put(zone, RESTRICTED, b"cell,site_count\nc1,4\n", ".csv") | {"media_type": "text/csv"}
    repo, zone, versions = bundle_world(tmp_path / "w", {RESTRICTED: [good, bad]})
    out = tmp_path / "pack"
    done = kfm(
        "export", "--repo", repo, "--slug", RESTRICTED, "--version", versions[RESTRICTED],
        "--out", out, "--label", "restricted", "--target", "geojson_bundle",
    )  # fmt: skip
    assert done.code == 0, done.err
    items = {i["source"]: i for i in json.loads((out / "pack_manifest.json").read_bytes())["items"]}
    assert items[good["uri"]]["state"] == "generalised"
    assert (out / items[good["uri"]]["path"]).read_bytes() == EXPECTED
    assert items[bad["uri"]]["state"] == "withheld"
    assert "needs exactly one longitude column" in items[bad["uri"]]["reason"]
    assert kfm("verify", out, "--repo", repo).code == 0
