"""`kfm-bot check` on a one-dataset change in registries of 10 to 50,000 sources and of 10 and
10,000 datasets (sizes interleaved over rounds; min and median; each ratio to its 10-entry
case). `check --all` is measured in `bench_check_all`. The registries come from
`benchmarks.generate_registry`."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.generate_registry import build_registry

BIN = Path(sys.executable).parent
# (sources, datasets); the first of each family is the base its ratios are taken to.
CASES_FULL = ((10, 0), (1_000, 0), (10_000, 0), (50_000, 0), (10, 10), (10_000, 10_000))
CASES_SMOKE = ((10, 0), (40, 0), (10, 10), (40, 12))
ALL_VS_SCHEMA = 10_000  # sources of the registry `--all` is timed on (smoke: the largest)
TARGET = 1.3


def timed_once(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, capture_output=True, check=False)
    return (time.perf_counter() - start) * 1000


def timed(cmd: list[str], runs: int) -> float:
    return statistics.median(timed_once(cmd) for _ in range(runs))


def _label(case: tuple[int, int]) -> str:
    sources, datasets = case
    return f"{sources:,} sources" + (f" + {datasets:,} datasets" if datasets else "")


def run(smoke: bool) -> list[dict[str, str]]:
    cases = CASES_SMOKE if smoke else CASES_FULL
    rounds = 1 if smoke else 5
    rows: list[dict[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        big_case = max(c for c in cases if c[1] == 0 and c[0] <= ALL_VS_SCHEMA)
        repos = {
            c: build_registry(Path(tmp) / f"r{c[0]}-{c[1]}", c[0], c[1], checkout=c == big_case)
            for c in cases
        }
        check = [str(BIN / "kfm-bot"), "check", "--base", "main", "--head", "change"]
        samples: dict[tuple[int, int], list[float]] = {c: [] for c in cases}
        for _ in range(rounds):  # sizes interleaved: load on the machine hits every size alike
            for c in cases:
                samples[c].append(timed_once([*check, "--repo", str(repos[c]), "--format", "json"]))
        for c in cases:
            base = next(b for b in cases if (b[1] == 0) == (c[1] == 0))
            if c == base:
                continue
            # Judged on the mins: on a shared machine the median carries other jobs' load,
            # the min is the cost of the work itself. Both ratios are shown.
            ratio = min(samples[c]) / min(samples[base])
            by_median = statistics.median(samples[c]) / statistics.median(samples[base])
            rows.append(
                row(
                    "check, one-dataset change",
                    _label(c),
                    f"min {min(samples[c]):.0f} / median {statistics.median(samples[c]):.0f} ms;"
                    f" {_label(base)}: min {min(samples[base]):.0f} / median"
                    f" {statistics.median(samples[base]):.0f} ms;"
                    f" {ratio:.2f}× (mins), {by_median:.2f}× (medians)",
                    f"≤ {TARGET}× the {_label(base)} case (mins)",
                    ratio <= TARGET,
                )
            )
    return rows


def row(benchmark: str, case: str, result: str, target: str, ok: bool) -> dict[str, str]:
    return {
        "benchmark": benchmark,
        "case": case,
        "result": result,
        "target": target,
        "ok": "yes" if ok else "no",
    }


if __name__ == "__main__":
    for r in run(smoke="--smoke" in sys.argv):
        print(r)
