"""geojson_bundle rendering throughput (MB/s of source GeoJSON) against a floor measured in the
same run on the same bytes: `json.loads` of the whole file plus `json.dumps` of it (C code, no
generalisation, no streaming). Sizes interleaved in every round; min and median of the ratio."""

from __future__ import annotations

import io
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kfm_bot.export.generalise import Plan
from kfm_bot.export.geojson_bundle import render

TARGET_RATIO = 8.0  # the renderer parses, checks and formats each feature in Python
PLAN = Plan("aggregate", 2, 3, "site_count", ("surveyor",))


def source(features: int) -> bytes:
    parts = []
    for i in range(features):
        parts.append(
            json.dumps(
                {
                    "type": "Feature",
                    "properties": {"site_count": i % 9, "cell_id": f"c{i}", "surveyor": "x"},
                    "geometry": {
                        "type": "Polygon",
                        "coordinates": [
                            [
                                [-95.123456 + i * 1e-6, 38.5],
                                [-95.0, 38.654321],
                                [-95.0, 39.0],
                                [-95.123456 + i * 1e-6, 38.5],
                            ]
                        ],
                    },
                }
            )
        )
    return ('{"type":"FeatureCollection","features":[' + ",".join(parts) + "]}").encode()


def _render(data: bytes) -> None:
    chunks = (data[i : i + (1 << 20)] for i in range(0, len(data), 1 << 20))
    render(chunks, "published/bench.geojson", "collection", PLAN, io.BytesIO())


def _floor(data: bytes) -> None:
    json.dumps(json.loads(data), separators=(",", ":"), sort_keys=True).encode()


def _timed(action: Callable[[bytes], None], data: bytes) -> float:
    start = time.perf_counter()
    action(data)
    return time.perf_counter() - start


def run(smoke: bool) -> list[dict[str, str]]:
    """Benchmark rows: benchmark, case, result, target, ok."""
    sizes = [200, 1_000] if smoke else [5_000, 40_000]
    rounds = 3
    data = {n: source(n) for n in sizes}
    ratios: dict[int, list[float]] = {n: [] for n in sizes}
    speeds: dict[int, list[float]] = {n: [] for n in sizes}
    for _ in range(rounds):
        for n in sizes:  # sizes interleaved in each round
            ours, floor = _timed(_render, data[n]), _timed(_floor, data[n])
            ratios[n].append(ours / floor)
            speeds[n].append(len(data[n]) / ours / 1e6)
    rows = []
    for n in sizes:
        mb = len(data[n]) / 1e6
        worst = statistics.median(ratios[n])
        rows.append(
            {
                "benchmark": "geojson_bundle render",
                "case": f"{n} features ({mb:.1f} MB)",
                "result": (
                    f"{max(speeds[n]):.1f}/{statistics.median(speeds[n]):.1f} MB/s (best/median); "
                    f"{min(ratios[n]):.1f}x/{worst:.1f}x json loads+dumps (min/median)"
                ),
                "target": f"<= {TARGET_RATIO:.0f}x json loads+dumps",
                "ok": "yes" if worst <= TARGET_RATIO else "no",
            }
        )
    return rows


if __name__ == "__main__":
    for row in run("--smoke" in sys.argv[1:]):
        print(" | ".join(row[column] for column in ("benchmark", "case", "result", "target", "ok")))
