"""Promotion on merge (DESIGN sections 7, 11): wall time and GitHub requests per promotion.

Each case merges one steward-approved PR in the GitHub emulator and times `kfm-bot promote
--push --release` as the push workflow runs it (a subprocess in a CI clone); requests are
counted in the emulator's request log. The scale rows first give the emulator's repository a
history of 10, 1,000 or 10,000 earlier promotions (benchmarks/generate.py: 2 first-parent
commits, a tag and a manifest each, so 20,000 commits at the top size) and a warm-up run that
releases the recent ones; then they time promotions with the sizes interleaved.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from benchmarks.generate import extend
from kfm_bot.emulator.testing import running_emulator
from tests.github.world import World, make_world
from tests.promotion.world import change_dataset, clone, merge, promote

WALL_TARGET = 10.0  # seconds for one dataset, gates and approvals re-checked, commit, tag, release
REQUEST_TARGET = 9  # PR 1, approvals 4, release 4 (list, create, 2 uploads: manifest, statement)
RERUN_TARGET = 1  # a re-run with nothing left to do: one release listing, whatever the ledger
SCALE_TARGET = 5.0  # seconds for a promotion after 10,000 entries on 20,000 commits
SIZES_FULL = (10, 1_000, 10_000)
SIZES_SMOKE = (2, 5)


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
            rerun = max(rerun, len(emu.requests) - before)
    return times, counts, rerun


def _promoted(world: World, ci: Path, n: int) -> tuple[float, int]:
    """(wall time, requests) of one promotion of a freshly merged PR."""
    merge(world, change_dataset(world, "ks_water_wells", f"Scale{n}", f"s{n}"), "merge")
    before = len(world.emu.requests)
    started = time.perf_counter()
    done = promote(world, ci, "--push", "--release")
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"kfm-bot promote failed: {done.stdout}{done.stderr}")
    return elapsed, len(world.emu.requests) - before


def _scale(tmp: Path, sizes: tuple[int, ...], rounds: int, smoke: bool) -> list[dict[str, str]]:
    """Promotion after `size` earlier entries, sizes interleaved; ratio to the smallest."""
    times: dict[int, list[float]] = {size: [] for size in sizes}
    counts: dict[int, list[int]] = {size: [] for size in sizes}
    with ExitStack() as stack:
        worlds: dict[int, tuple[World, Path]] = {}
        for size in sizes:
            where = tmp / f"scale{size}"
            where.mkdir()
            world = make_world(stack.enter_context(running_emulator(where)), where)
            extend(Path(world.emu.git_url("org", "data")), size)
            ci = clone(world, "ci")
            if not smoke:  # warm-up: releases the recent entries, as earlier runs did
                _promoted(world, ci, 0)
            worlds[size] = world, ci
        for n in range(1, rounds + 1):
            for size, (world, ci) in worlds.items():
                elapsed, requests = _promoted(world, ci, n)
                times[size].append(elapsed)
                counts[size].append(requests)
    base = statistics.median(times[sizes[0]])
    rows = []
    for size in sizes:
        best, median = min(times[size]), statistics.median(times[size])
        top = size == sizes[-1]
        rows.append(
            _row(
                f"promotion after {size:,} ledger entries ({2 * size:,} commits), "
                f"{rounds} rounds interleaved",
                f"median {median:.2f} s, min {best:.2f} s ({median / base:.2f}x the "
                f"{sizes[0]:,}-entry case); {max(counts[size])} requests",
                f"< {SCALE_TARGET:.0f} s at 10,000; <= {REQUEST_TARGET} requests",
                (not top or median < SCALE_TARGET) and max(counts[size]) <= REQUEST_TARGET,
            )
        )
    return rows


def run(smoke: bool) -> list[dict[str, str]]:
    rounds = 1 if smoke else 3
    with tempfile.TemporaryDirectory(prefix="kfm-bench-promote-") as tmp:
        times, counts, rerun = _measure(Path(tmp), rounds)
        scale = _scale(Path(tmp), SIZES_SMOKE if smoke else SIZES_FULL, rounds, smoke)
    wall, requests = statistics.median(times), max(counts)
    return [
        _row(
            f"wall time, one dataset (median of {rounds})",
            f"{wall:.2f} s",
            f"< {WALL_TARGET:.0f} s",
            wall < WALL_TARGET,
        ),
        _row(
            "GitHub requests per promotion (with release), at 1 to 3 ledger entries",
            str(requests),
            f"<= {REQUEST_TARGET}",
            requests <= REQUEST_TARGET,
        ),
        *scale,
        _row(
            "GitHub requests, re-run with nothing to do (any ledger size)",
            str(rerun),
            f"<= {RERUN_TARGET}",
            rerun <= RERUN_TARGET,
        ),
    ]


if __name__ == "__main__":
    for row in run(smoke=True):
        print(row)
