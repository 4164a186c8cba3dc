"""A small valid registry (one source, one dataset with receipt, QA report and output) as bytes."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from kfm_bot.canonical import spec_hash
from kfm_bot.yaml.strict import load_strict

SOURCE = """\
kfm_source_version: v1
source_id: county-lines
title: County boundary lines
publisher: {name: State GIS Office, url: "https://gis.example.org"}
access: {kind: http, url: "https://gis.example.org/counties.zip", cadence: annual}
license: {spdx: CC0-1.0, rights_holder: State GIS Office, attribution: State GIS Office}
sensitivity: {policy_label: public, sensitive_locations: false}
stewards: [alice]
status: active
"""
SPEC = """\
kfm_pipeline_spec_version: v1
dataset_slug: county_lines
title: County lines
description: Generalised county boundaries.
sources: [county-lines]
transforms:
  - id: simplify
    tool: mapshaper
    version: "0.6.25"
    params: {tolerance_m: 50}
outputs:
  - {path: fixtures/sample.geojson, media_type: application/geo+json}
policy_label: public
license: {spdx: CC0-1.0, attribution: State GIS Office}
catalog: {dcat: catalog/dcat.json, prov: catalog/prov.json}
receipts: [receipts/run-1.json]
qa: qa/report.json
"""
OUTPUT = b'{"type": "FeatureCollection", "features": []}\n'
QA = b'{"kfm_qa_report_version": "v1", "dataset_slug": "county_lines", "status": "pass",'
QA += b' "checks": [{"id": "geometry.valid", "status": "pass"}]}\n'


def digest(raw: bytes) -> str:
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def spec_hash_of(text: str) -> str:
    data = load_strict(text.encode(), "spec.yaml").data
    assert data is not None
    return spec_hash(data)


def receipt(spec_text: str = SPEC, **changes: Any) -> dict[str, Any]:
    hashed = spec_hash_of(spec_text)
    doc: dict[str, Any] = {
        "kfm_run_receipt_version": "v1",
        "run_id": "run-1",
        "actor": {"principal": "svc:pipeline", "role": "pipeline"},
        "operation": "build",
        "dataset_version_id": "2026-11." + hashed.removeprefix("sha256:")[:8],
        "spec_hash": hashed,
        "inputs": [{"source_id": "county-lines", "digest": digest(b"upstream")}],
        "outputs": [{"path": "fixtures/sample.geojson", "digest": digest(OUTPUT)}],
        "environment": {
            "container_digest": digest(b"image"),
            "git_commit": "0123456789abcdef0123456789abcdef01234567",
            "params_digest": digest(b"params"),
        },
        "validation": {"status": "pass", "report_digest": digest(QA)},
        "policy": {"policy_label": "public"},
        "created_at": "2026-11-01T12:00:00Z",
    }
    doc.update(changes)
    return doc


def files(spec_text: str = SPEC, run: dict[str, Any] | None = None) -> dict[str, bytes]:
    """The whole tree: change a file by replacing its entry in the returned dict."""
    run = receipt(spec_text) if run is None else run
    return {
        "registry/sources/county-lines.yaml": SOURCE.encode(),
        "specs/county_lines/spec.yaml": spec_text.encode(),
        "specs/county_lines/receipts/run-1.json": (json.dumps(run, indent=2) + "\n").encode(),
        "specs/county_lines/qa/report.json": QA,
        "specs/county_lines/fixtures/sample.geojson": OUTPUT,
    }
