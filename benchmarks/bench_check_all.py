"""`kfm-bot check --all` against check-jsonschema and against a tight floor, and its peak RSS.

All in one run, sizes and tools interleaved in every round (so load on the machine hits each
alike), at least 3 rounds, min and median:

- `check --all` (every gate) vs check-jsonschema validating the same source files against
  the same schema, at 10,000 sources: target ≤ 0.25×;
- vs the floor, `floor_check.py` (PyYAML's C loader + fastjsonschema, nothing else): ≤ 1.5×;
- peak RSS of `check --all` at 10,000 and 50,000 sources: ≤ 200 MB at 50,000, that is memory
  that does not grow with every document ever read.

Peak RSS is read per run: each run goes through a fresh `python -c` wrapper whose
RUSAGE_CHILDREN high-water mark is then that one run's (the mark of a long-lived parent only
grows).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench_check import row
from benchmarks.generate_registry import build_registry

BIN = Path(sys.executable).parent
FLOOR = Path(__file__).resolve().parent / "floor_check.py"
SCHEMA = "schemas/source_entry.v1.schema.json"
# (size compared with check-jsonschema and the floor, sizes whose peak RSS is reported)
FULL = (10_000, (10_000, 50_000))
SMOKE = (20, (20, 40))
RSS_LIMIT_MB = 200.0
_WRAPPER = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "print(done.returncode, peak)\n"  # ru_maxrss is in KiB on Linux
)


def measured(cmd: list[str]) -> tuple[float, float, int]:
    """(seconds, peak RSS in MB, exit status) of one run of `cmd`."""
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *cmd], capture_output=True, text=True, check=True
    ).stdout.split()
    seconds = time.perf_counter() - start
    return seconds, int(out[1]) / 1024, int(out[0])


def commands(repo: Path) -> dict[str, list[str]]:
    files = sorted(str(p) for p in (repo / "registry/sources").glob("*.yaml"))
    schema = str(repo / SCHEMA)
    check = [str(BIN / "kfm-bot"), "check", "--all", "--repo", str(repo), "--head", "main"]
    return {
        "kfm-bot": [*check, "--format", "json"],
        "check-jsonschema": [str(BIN / "check-jsonschema"), "--schemafile", schema, *files],
        "floor": [sys.executable, str(FLOOR), schema, *files],
    }


def run(smoke: bool) -> list[dict[str, str]]:
    compared, rss_sizes = SMOKE if smoke else FULL
    rounds = 3
    times: dict[str, list[float]] = {"kfm-bot": [], "check-jsonschema": [], "floor": []}
    rss: dict[int, list[float]] = {size: [] for size in rss_sizes}
    rss_times: dict[int, list[float]] = {size: [] for size in rss_sizes}
    with tempfile.TemporaryDirectory() as tmp:
        sizes = sorted({compared, *rss_sizes})
        repos = {size: build_registry(Path(tmp) / f"r{size}", size) for size in sizes}
        for _ in range(rounds):
            for size in sizes:  # interleaved: every size and every tool in every round
                cmds = commands(repos[size])
                seconds, peak, status = measured(cmds["kfm-bot"])
                _expect(status == 0, f"check --all failed on {size} sources")
                if size in rss:
                    rss[size].append(peak)
                    rss_times[size].append(seconds)
                if size != compared:
                    continue
                times["kfm-bot"].append(seconds)
                for tool in ("check-jsonschema", "floor"):
                    seconds, _, status = measured(cmds[tool])
                    _expect(status == 0, f"{tool} found invalid files: the comparison is void")
                    times[tool].append(seconds)
    ours = times["kfm-bot"]
    rows = [
        _ratio_row(
            "check --all vs check-jsonschema", compared, ours, times["check-jsonschema"], 0.25
        ),
        _ratio_row(
            "check --all vs the floor (CSafeLoader + fastjsonschema)",
            compared,
            ours,
            times["floor"],
            1.5,
        ),
    ]
    for size in rss_sizes:
        peak = statistics.median(rss[size])
        rows.append(
            row(
                "check --all peak RSS",
                f"{size:,} sources",
                f"min {min(rss[size]):.0f} / median {peak:.0f} MB"
                f" (time min {min(rss_times[size]):.2f} / median"
                f" {statistics.median(rss_times[size]):.2f} s)",
                f"≤ {RSS_LIMIT_MB:.0f} MB",
                peak <= RSS_LIMIT_MB,
            )
        )
    return rows


def _ratio_row(
    name: str, size: int, ours: list[float], theirs: list[float], target: float
) -> dict[str, str]:
    best = min(ours) / min(theirs)
    typical = statistics.median(ours) / statistics.median(theirs)
    result = (
        f"kfm-bot min {min(ours):.2f} / median {statistics.median(ours):.2f} s vs"
        f" min {min(theirs):.2f} / median {statistics.median(theirs):.2f} s:"
        f" {best:.2f}× (min) / {typical:.2f}× (median)"
    )
    return row(name, f"{size:,} sources", result, f"≤ {target}× (median)", typical <= target)


def _expect(ok: bool, message: str) -> None:
    if not ok:
        raise SystemExit(f"bench_check_all: {message}")


if __name__ == "__main__":
    for r in run(smoke="--smoke" in sys.argv):
        print(json.dumps(r, ensure_ascii=False))
