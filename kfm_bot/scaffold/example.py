"""The example a new repository starts with: one complete source and one dataset that pass
every gate, written through the same templates as `kfm-bot new` with every field filled."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from kfm_bot.scaffold.dataset import DatasetFacts, dataset_files
from kfm_bot.scaffold.source import SourceFacts, source_entry

EXAMPLE_SOURCE = "us-census-tiger-counties"
EXAMPLE_SLUG = "example_county_boundaries"
FIXTURE = "fixtures/county_sample.geojson"
# One county outline at two decimals (~1 km): a fixture is a small sample, not the data.
SAMPLE = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"GEOID": "20045", "NAME": "Douglas"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [
                        [-95.5, 38.74],
                        [-95.06, 38.74],
                        [-95.06, 39.04],
                        [-95.5, 39.04],
                        [-95.5, 38.74],
                    ]
                ],
            },
        }
    ],
}
PUBLISHER = "U.S. Census Bureau, Geography Division"
RIGHTS = "U.S. Census Bureau (work of the U.S. Government, public domain)"
ATTRIBUTION = "Source: U.S. Census Bureau, TIGER/Line Shapefiles 2024."


def example_files(steward: str) -> tuple[dict[str, bytes], Callable[[Path], None]]:
    """The example's files, and what completes them in the staged repository (the receipt's
    digests, computed from the files as `kfm-bot refresh` does)."""
    source = SourceFacts(
        source_id=EXAMPLE_SOURCE,
        title="TIGER/Line Shapefiles: Counties and Equivalent Entities (2024)",
        description="County and county-equivalent boundaries of the United States.",
        publisher=PUBLISHER,
        publisher_url="https://www.census.gov/geographies/mapping-files/time-series/geo/tiger-line-file.html",
        access_url="https://www2.census.gov/geo/tiger/TIGER2024/COUNTY/tl_2024_us_county.zip",
        cadence="annual",
        license="CC0-1.0",
        license_url="https://www.census.gov/about/policies/open-gov/open-data.html",
        rights_holder=RIGHTS,
        attribution=ATTRIBUTION,
        label="public",
        sensitive_locations=False,
        notes="Administrative boundaries; no personal or sensitive information.",
        stewards=[steward],
    )
    dataset = DatasetFacts(
        slug=EXAMPLE_SLUG,
        sources=[EXAMPLE_SOURCE],
        run_id=f"{EXAMPLE_SLUG}-20260101T000000Z",
        created_at="2026-01-01T00:00:00Z",
        title="County boundaries (example)",
        description="One county of the TIGER/Line county file, in WGS 84: an example dataset.",
        tool="gdal-ogr2ogr",
        tool_version="3.8.4",
        params={"where": "GEOID = '20045'", "t_srs": "EPSG:4326"},
        output=FIXTURE,
        label="public",
        license="CC0-1.0",
        attribution=ATTRIBUTION,
        publisher=PUBLISHER,
        rights_holder=RIGHTS,
        qa_checks=[
            {"id": "geometry.valid", "status": "pass", "detail": "all geometries valid"},
            {"id": "crs.wgs84", "status": "pass", "detail": "EPSG:4326, lon/lat order"},
        ],
    )
    path, text = source_entry(source, [steward])
    files = {path: text, **dataset_files(dataset)}
    files[f"specs/{EXAMPLE_SLUG}/{FIXTURE}"] = (json.dumps(SAMPLE, indent=2) + "\n").encode()

    def finish(stage: Path) -> None:
        from kfm_bot.scaffold.refresh_dataset import refresh_dataset

        refresh_dataset(stage, EXAMPLE_SLUG, spec_changed=False)

    return files, finish
