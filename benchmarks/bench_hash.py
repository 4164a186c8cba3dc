"""spec_hash throughput (canonical_bytes against plain rfc8785) and strict loading of a spec."""

from __future__ import annotations

import copy
import functools
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import rfc8785

from kfm_bot.canonical import canonical_bytes
from kfm_bot.yaml.strict import _load, load_strict

SPEC = b"""# yaml-language-server: $schema=../../schemas/pipeline_spec.v1.schema.json
kfm_pipeline_spec_version: v1
dataset_slug: ks_water_wells
title: Kansas Water Wells
description: >-
  Completed water wells from the KGS WWC5 database with owner names dropped, joined to the
  county they lie in.
sources: [kgs-water-wells, us-census-tiger-counties]
transforms:
  - id: drop_owner_fields
    tool: gdal-ogr2ogr
    version: "3.8.4"
    params: {select: [wwc5_id, depth_ft, completion_date, water_use, latitude, longitude]}
  - id: join_county
    tool: duckdb
    version: "1.1.3"
    params: {join: spatial, county_key: GEOID, tolerance_m: 0.5}
  - id: generalise
    tool: kfm-generalise
    digest: sha256:9f2c1e0d4b7a88e0c3d5f6a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f7a8b
    params: {grid_km: 5, min_count: 3, seed: 20261104}
outputs:
  - {path: fixtures/ks_wells_sample.geojson, media_type: application/geo+json}
policy_label: public
license:
  spdx: CC-BY-4.0
  attribution: Water well data courtesy of the Kansas Geological Survey (WWC5 database).
redaction: {method: grid-aggregate, cell_km: 5, fields_dropped: [owner_name, owner_address]}
extent: {bbox: [-102.0517, 36.9930, -94.5884, 40.0032], crs: "EPSG:4326"}
catalog: {dcat: catalog/dcat.json, stac: catalog/stac.json, prov: catalog/prov.json}
receipts: [receipts/ks_water_wells-20261104T130000Z.json]
qa: qa/report.json
"""


def spec_set(count: int) -> list[dict[str, Any]]:
    """Variations of a realistic pipeline spec: whole floats in a third, non-ASCII in some."""
    base: Any = load_strict(SPEC, "bench").data  # a known spec, varied by hand below
    assert base is not None
    docs = []
    for index in range(count):
        doc = copy.deepcopy(base)
        doc["dataset_slug"] = f"ks_dataset_{index:05d}"
        doc["transforms"][2]["params"]["seed"] = index
        if index % 3 == 0:
            doc["extent"]["bbox"] = [-102.0, 37.0, -94.5 - index / 8, 40.0]
        if index % 10 == 0:
            doc["title"] = f"Kansas Wasserbrunnen — Übersicht {index}"
        if index % 50 == 0:
            doc["description"] += " 💧"
        docs.append(doc)
    return docs


def best_of(repeats: int, *actions: Callable[[], object]) -> list[float]:
    """Best time of each action, run in alternation so that load on the machine hits all."""
    timings: list[list[float]] = [[] for _ in actions]
    for _ in range(repeats):
        for action, times in zip(actions, timings, strict=True):
            start = time.perf_counter()
            action()
            times.append(time.perf_counter() - start)
    return [min(times) for times in timings]


def _throughput_row(smoke: bool) -> dict[str, str]:
    docs = spec_set(20 if smoke else 1000)
    assert all(canonical_bytes(doc) == rfc8785.dumps(doc) for doc in docs), "bytes differ"
    repeats = 2 if smoke else 9
    fast, slow = best_of(
        repeats,
        lambda: [canonical_bytes(doc) for doc in docs],
        lambda: [rfc8785.dumps(doc) for doc in docs],
    )
    ratio = slow / fast
    return {
        "benchmark": "spec_hash throughput",
        "case": f"{len(docs)} specs: canonical_bytes vs rfc8785.dumps",
        "result": f"{len(docs) / fast:,.0f} vs {len(docs) / slow:,.0f} specs/s ({ratio:.1f}x), "
        "byte-identical",
        "target": ">= 3x, byte-identical",
        "ok": "yes" if ratio >= 3 else "no",
    }


def _loader_rows(smoke: bool) -> list[dict[str, str]]:
    rounds = 20 if smoke else 300
    rows = []
    for name, pure in (("C parser", False), ("pure-Python parser", True)):
        _load(SPEC, "bench", pure)
        per_load = statistics.median(
            best_of(1, functools.partial(_load, SPEC, "bench", pure))[0] for _ in range(rounds)
        )
        rows.append(
            {
                "benchmark": "strict YAML load",
                "case": f"{len(SPEC.splitlines())}-line spec, {name}",
                "result": f"{per_load * 1e6:,.0f} µs per load",
                "target": "< 1 ms" if not pure else "(reference)",
                "ok": "yes" if pure or per_load < 1e-3 else "no",
            }
        )
    return rows


def run(smoke: bool) -> list[dict[str, str]]:
    """Benchmark rows: benchmark, case, result, target, ok."""
    return [_throughput_row(smoke), *_loader_rows(smoke)]


if __name__ == "__main__":
    for row in run("--smoke" in sys.argv[1:]):
        print(" | ".join(row[column] for column in ("benchmark", "case", "result", "target", "ok")))
