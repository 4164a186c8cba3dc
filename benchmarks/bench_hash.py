"""spec_hash speed (canonical_bytes against plain rfc8785, small and 16 KB specs, ratios from
interleaved rounds: min and median), beside the floor of plain `json.dumps(sort_keys=True)`
(not JCS: for information), and strict loading of a spec."""

from __future__ import annotations

import copy
import functools
import json
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

TARGET_RATIO = 5.0

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


def large_spec_set(count: int, size: int = 16_384) -> list[dict[str, Any]]:
    """Specs of about `size` JCS bytes: many transforms and outputs (with bounding boxes)."""
    docs = []
    for index, doc in enumerate(spec_set(count)):
        step = 0
        while len(canonical_bytes(doc)) < size:
            doc["transforms"].append(
                {
                    "id": f"step_{step:03d}",
                    "tool": "duckdb",
                    "version": "1.1.3",
                    "params": {"sql": f"select * from t{step} where id > {index}", "limit": step},
                }
            )
            doc["outputs"].append(
                {
                    "path": f"fixtures/part_{step:03d}.geojson",
                    "media_type": "application/geo+json",
                    "bbox": [-102.0 + step / 8, 37.0, -94.5, 40.0 - index / 16],
                }
            )
            step += 1
        docs.append(doc)
    return docs


def _json_floor(doc: dict[str, Any]) -> str:
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def ratio_rounds(rounds: int, *sets: list[dict[str, Any]]) -> list[list[tuple[float, float]]]:
    """Per set and round, rfc8785's time over canonical_bytes' and over json.dumps' (the floor);
    sets interleaved, the three timed in alternation within a round."""
    ratios: list[list[tuple[float, float]]] = [[] for _ in sets]
    for _ in range(rounds):
        for docs, found in zip(sets, ratios, strict=True):
            fast, slow, floor = best_of(
                3,
                lambda docs=docs: [canonical_bytes(doc) for doc in docs],  # type: ignore[misc]
                lambda docs=docs: [rfc8785.dumps(doc) for doc in docs],  # type: ignore[misc]
                lambda docs=docs: [_json_floor(doc) for doc in docs],  # type: ignore[misc]
            )
            found.append((slow / fast, slow / floor))
    return ratios


def _throughput_rows(smoke: bool) -> list[dict[str, str]]:
    small = spec_set(20 if smoke else 500)
    large = large_spec_set(2 if smoke else 40)
    for docs in (small, large):
        assert all(canonical_bytes(doc) == rfc8785.dumps(doc) for doc in docs), "bytes differ"
    rounds = 1 if smoke else 5
    rows = []
    for docs, ratios in zip((small, large), ratio_rounds(rounds, small, large), strict=True):
        size = sum(len(canonical_bytes(doc)) for doc in docs) / len(docs)
        case = f"{len(docs)} specs of {size / 1024:.1f} KB, {rounds} rounds"
        ours = [ratio for ratio, _ in ratios]
        floor = [ratio for _, ratio in ratios]
        low, median = min(ours), statistics.median(ours)
        rows.append(
            {
                "benchmark": "spec_hash vs rfc8785",
                "case": case,
                "result": f"{low:.1f}x min, {median:.1f}x median, byte-identical",
                "target": f">= {TARGET_RATIO:.0f}x, byte-identical",
                "ok": "yes" if median >= TARGET_RATIO else "no",
            }
        )
        rows.append(
            {
                "benchmark": "json.dumps(sort_keys) vs rfc8785",
                "case": case + ", floor (not JCS)",
                "result": f"{min(floor):.1f}x min, {statistics.median(floor):.1f}x median",
                "target": "(reference)",
                "ok": "yes",
            }
        )
    return rows


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
    return [*_throughput_rows(smoke), *_loader_rows(smoke)]


if __name__ == "__main__":
    for row in run("--smoke" in sys.argv[1:]):
        print(" | ".join(row[column] for column in ("benchmark", "case", "result", "target", "ok")))
