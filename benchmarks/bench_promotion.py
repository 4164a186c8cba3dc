"""Promotion on merge (DESIGN section 7): wall time per promotion and GitHub requests it makes.

Each case merges one steward-approved PR in the GitHub emulator and times `kfm-bot promote
--push --release` as the push workflow runs it (a subprocess, fresh CI clone); requests are
counted in the emulator's request log.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from kfm_bot.emulator.testing import running_emulator
from tests.github.world import make_world
from tests.promotion.world import change_dataset, clone, merge, promote

WALL_TARGET = 10.0  # seconds for one dataset, gates and approvals re-checked, commit, tag, release
REQUEST_TARGET = 12  # PR lookup 1, approvals 4-7, release 4 (lookup, create, re-read, upload)
RERUN_TARGET = 2  # a re-run with nothing left to do: one release lookup per recent entry


def _row(case: str, result: str, target: str, ok: bool) -> dict[str, str]:
    return {
        "benchmark": "promotion",
        "case": case,
        "result": result,
        "target": target,
        "ok": "yes" if ok else "no",
    }


def _measure(tmp: Path, rounds: int) -> tuple[list[float], list[int], int]:
    """(wall times, requests per promotion, requests per ledger entry of a no-op re-run)."""
    times: list[float] = []
    counts: list[int] = []
    rerun = 0
    with running_emulator(tmp) as emu:
        world = make_world(emu, tmp)
        for n in range(rounds):
            merge(world, change_dataset(world, "ks_water_wells", f"Rev{n}", f"b{n}"), "merge")
            ci = clone(world, f"ci{n}")
            before = len(emu.requests)
            started = time.perf_counter()
            done = promote(world, ci, "--push", "--release")
            times.append(time.perf_counter() - started)
            if done.returncode != 0:
                raise RuntimeError(f"kfm-bot promote failed: {done.stdout}{done.stderr}")
            counts.append(len(emu.requests) - before)
            before = len(emu.requests)
            if promote(world, ci, "--push", "--release").returncode != 0:
                raise RuntimeError("kfm-bot promote failed when re-run")
            rerun = max(rerun, (len(emu.requests) - before) // (n + 1))
    return times, counts, rerun


def run(smoke: bool) -> list[dict[str, str]]:
    rounds = 1 if smoke else 3
    with tempfile.TemporaryDirectory(prefix="kfm-bench-promote-") as tmp:
        times, counts, rerun = _measure(Path(tmp), rounds)
    wall, requests = statistics.median(times), max(counts)
    return [
        _row(
            f"wall time, one dataset (median of {rounds})",
            f"{wall:.2f} s",
            f"< {WALL_TARGET:.0f} s",
            wall < WALL_TARGET,
        ),
        _row(
            "GitHub requests per promotion (with release)",
            str(requests),
            f"<= {REQUEST_TARGET}",
            requests <= REQUEST_TARGET,
        ),
        _row(
            "GitHub requests per ledger entry, re-run with nothing to do",
            str(rerun),
            f"<= {RERUN_TARGET}",
            rerun <= RERUN_TARGET,
        ),
    ]


if __name__ == "__main__":
    for row in run(smoke=True):
        print(row)
