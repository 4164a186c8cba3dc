"""Cold start of `kfm-bot --version`: every heavy import must be lazy (target < 150 ms)."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent / "kfm-bot"
TARGET_MS = 150.0


def measure(runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([str(BIN), "--version"], check=True, capture_output=True)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def run(smoke: bool) -> list[dict[str, str]]:
    median = measure(3 if smoke else 15)
    baseline = measure_python(3 if smoke else 15)
    return [
        {
            "benchmark": "cold start",
            "case": "`kfm-bot --version` (median)",
            "result": f"{median:.0f} ms (bare python -c pass: {baseline:.0f} ms)",
            "target": f"< {TARGET_MS:.0f} ms",
            "ok": "yes" if median < TARGET_MS else "no",
        }
    ]


def measure_python(runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


if __name__ == "__main__":
    for row in run(smoke=False):
        print(row)
