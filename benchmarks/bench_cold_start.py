"""Cold start of the console script: `kfm-bot --version` and `kfm-bot hash SPEC`, beside a bare
`python -c pass` of the same interpreter (the floor), interleaved, min and median of many runs.

Bytecode is cached (in a temporary PYTHONPYCACHEPREFIX, warmed by one run of each command) as it
is after `pip install`: with PYTHONDONTWRITEBYTECODE=1 and an editable install, every run would
compile kfm-bot's modules from source, which measures the compiler, not the start."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent / "kfm-bot"
TARGETS_MS = {"--version": 35.0, "hash": 60.0}
SPEC = b"kfm_pipeline_spec_version: v1\ndataset_slug: ks_water_wells\nsources: [a-b, c-d]\n"


def measure(runs: int, spec: Path, cache: Path) -> dict[str, list[float]]:
    """Milliseconds per run of each command line, run in turn so machine load hits all."""
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "--version": [str(BIN), "--version"],
        "hash": [str(BIN), "hash", str(spec)],
    }
    env = {**os.environ, "PYTHONPYCACHEPREFIX": str(cache)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    for command in commands.values():  # writes the bytecode
        subprocess.run(command, check=True, capture_output=True, env=env)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, env=env)
            times[name].append((time.perf_counter() - start) * 1000)
    return times


def run(smoke: bool) -> list[dict[str, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        spec = Path(tmp) / "spec.yaml"
        spec.write_bytes(SPEC)
        times = measure(3 if smoke else 41, spec, Path(tmp) / "pycache")
    floor = statistics.median(times["python -c pass"])
    rows = [
        {
            "benchmark": "cold start",
            "case": "bare `python -c pass` (floor)",
            "result": f"{min(times['python -c pass']):.0f} ms min, {floor:.0f} ms median",
            "target": "(reference)",
            "ok": "yes",
        }
    ]
    for name, target in TARGETS_MS.items():
        median = statistics.median(times[name])
        rows.append(
            {
                "benchmark": "cold start",
                "case": f"`kfm-bot {name}{' SPEC' if name == 'hash' else ''}`",
                "result": f"{min(times[name]):.0f} ms min, {median:.0f} ms median "
                f"(floor + {median - floor:.0f} ms)",
                "target": f"<= {target:.0f} ms median",
                "ok": "yes" if median <= target else "no",
            }
        )
    return rows


if __name__ == "__main__":
    for row in run("--smoke" in sys.argv[1:]):
        print(" | ".join(row[column] for column in ("benchmark", "case", "result", "target", "ok")))
