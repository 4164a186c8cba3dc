"""A promoted repository whose artifacts live in a file:// published zone, for geojson_bundle."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kfm_bot.canonical import sha256_digest, spec_hash
from kfm_bot.yaml.strict import load_strict
from tests.export.promoted_repo import promote
from tests.gitrepo import commit_all, init_example_repo

RESTRICTED = "archaeo_site_density"
PUBLIC = "ks_county_boundaries"
PLAN_EXTRA = "  suppress_properties: [surveyor]\n"  # the example plan names count_property

# Cells with precise centroids, a small cell, a -0 to be, a foreign member and a crs member.
RESTRICTED_SOURCE: dict[str, Any] = {
    "type": "FeatureCollection",
    "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
    "features": [
        {
            "type": "Feature",
            "id": 1,
            "geometry": {"type": "Point", "coordinates": [-95.251234, 38.948765]},
            "properties": {"site_count": 7, "cell_id": "c1", "surveyor": "A. Smith"},
            "secret": "dropped",
        },
        {
            "type": "Feature",
            "properties": {"site_count": 2, "cell_id": "c2"},
            "geometry": {"type": "Point", "coordinates": [-96.61, 39.17]},
        },
        {
            "type": "Feature",
            "properties": {
                "cell_id": "c3",
                "site_count": 4,
                "centroid_lat": 38.123456,
                "ratio": 1e-7,
                "big": 1e22,
            },
            "geometry": {"type": "Point", "coordinates": [-0.0001, 38.36]},
        },
    ],
}
RESTRICTED_EXPECTED = (
    '{"type":"FeatureCollection","features":[\n'
    '{"type":"Feature","id":1,"properties":{"cell_id":"c1","site_count":7},'
    '"geometry":{"type":"Point","coordinates":[-95.25,38.95]}},\n'
    '{"type":"Feature","properties":{"big":10000000000000000000000.0,"cell_id":"c3",'
    '"centroid_lat":38.12,"ratio":0.0000001,"site_count":4},'
    '"geometry":{"type":"Point","coordinates":[0.00,38.36]}}\n'
    "]}\n"
)
PUBLIC_SOURCE: dict[str, Any] = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": "Douglas", "geoid": "20045"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[-95.5, 38.7], [-95.0, 38.7], [-95.0, 39.0], [-95.5, 38.7]]],
            },
        }
    ],
}


def _rebind_receipt(repo: Path, spec: Path) -> None:
    """The run receipt names the edited spec's spec_hash, as a re-run would."""
    loaded = load_strict(spec.read_bytes(), "spec.yaml")
    assert loaded is not None and loaded.data is not None
    digest = spec_hash(loaded.data)
    for path in (spec.parent / "receipts").glob("*.json"):
        receipt = json.loads(path.read_bytes())
        receipt["spec_hash"] = digest
        path.write_text(json.dumps(receipt, indent=2) + "\n")


def key_of(slug: str, data: bytes, suffix: str = ".geojson") -> str:
    return f"{slug}/{sha256_digest(data)[7:]}{suffix}"


def put(zone: Path, slug: str, data: bytes, suffix: str = ".geojson") -> dict[str, Any]:
    """Store `data` in the zone directory; the manifest artifact that names it."""
    key = key_of(slug, data, suffix)
    (zone / key).parent.mkdir(parents=True, exist_ok=True)
    (zone / key).write_bytes(data)
    media = "application/geo+json-seq" if suffix == ".geojsonl" else "application/geo+json"
    return {
        "uri": f"published/{key}",
        "source": f"processed/{key}",
        "size": len(data),
        "digest": sha256_digest(data),
        "media_type": media,
    }


def encoded(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, indent=2).encode("utf-8")


def storage_yaml(published: str) -> str:
    return (
        "kfm_storage_version: v1\nzones:\n  processed:\n    url: file://zones/processed\n"
        f"  published:\n    url: {published}\n    timeout_s: 5\n"
    )


def bundle_world(
    root: Path,
    artifacts: dict[str, list[dict[str, Any]]] | None = None,
    published_url: str | None = None,
    beside: Callable[[bytes], dict[str, bytes]] | None = None,
) -> tuple[Path, Path, dict[str, str]]:
    """(repo, zone, slug -> version): both example datasets promoted with published artifacts.

    `policies/storage.yaml` names the zone directory as `published` (or `published_url`, e.g.
    an s3:// zone the caller fills from the directory) at the promotion commits; `beside`
    adds files beside each promotion manifest (see `promote`).

    The restricted spec's plan gains `suppress_properties` (in PROV too); each
    manifest keeps its repository fixture (withheld) and gains the zone artifacts.
    """
    zone = root / "published"
    zone.mkdir(parents=True, exist_ok=True)
    repo = init_example_repo(root / "repo")
    spec = repo / "specs" / RESTRICTED / "spec.yaml"
    text = spec.read_text()
    spec.write_text(
        text.replace(
            "  description: >-\n    Sites are", PLAN_EXTRA + "  description: >-\n    Sites are"
        )
    )
    prov = spec.parent / "catalog" / "prov.json"  # the run records what the plan drops
    prov.write_text(
        prov.read_text().replace(
            '"kfm:count_property": "site_count",',
            '"kfm:count_property": "site_count",\n      "kfm:suppress_properties": ["surveyor"],',
        )
    )
    _rebind_receipt(repo, spec)
    (repo / "policies" / "storage.yaml").write_text(storage_yaml(published_url or zone.as_uri()))
    commit_all(repo, "plan: suppressed properties; the published zone")
    if artifacts is None:
        artifacts = {
            RESTRICTED: [put(zone, RESTRICTED, encoded(RESTRICTED_SOURCE))],
            PUBLIC: [put(zone, PUBLIC, encoded(PUBLIC_SOURCE))],
        }
    versions = {}
    for slug, extra in artifacts.items():

        def edit(manifest: dict[str, Any], extra: list[dict[str, Any]] = extra) -> None:
            manifest["artifacts"] = manifest["artifacts"] + extra

        versions[slug] = promote(repo, slug, edit_manifest=edit, beside=beside)[0]
    return repo, zone, versions
