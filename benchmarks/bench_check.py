"""`kfm-bot check` on a one-dataset change in registries of 10 to 10,000 sources (one run, so
ratios are comparable). `check --all` is measured in `bench_check_all`."""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.gitrepo import commit_all, git, init_example_repo

BIN = Path(sys.executable).parent
SIZES_FULL = (10, 1_000, 10_000)
SIZES_SMOKE = (10, 40)


def _template(repo: Path) -> tuple[str, str]:
    """A public, active source entry to clone (its id and text)."""
    for path in sorted((repo / "registry/sources").glob("*.yaml")):
        text = path.read_text()
        if "policy_label: public" in text and "status: active" in text:
            return path.stem, text
    raise SystemExit("no public active source in the example content")


def build_registry(root: Path, size: int) -> Path:
    repo = init_example_repo(root)
    stem, text = _template(repo)
    existing = len(list((repo / "registry/sources").glob("*.yaml")))
    for i in range(max(0, size - existing)):
        new_id = f"bench-source-{i:05d}"
        body = re.sub(rf"\b{re.escape(stem)}\b", new_id, text)
        (repo / "registry/sources" / f"{new_id}.yaml").write_text(body)
    commit_all(repo, f"registry of {size} sources")
    git(repo, "checkout", "-q", "-b", "change")
    spec = sorted((repo / "specs").glob("*/spec.yaml"))[0]
    spec.write_text(spec.read_text().replace("title: ", "title: Revised ", 1))
    commit_all(repo, "one dataset change")
    return repo


def timed(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def run(smoke: bool) -> list[dict[str, str]]:
    sizes = SIZES_SMOKE if smoke else SIZES_FULL
    runs = 1 if smoke else 7
    rows: list[dict[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        repos = {size: build_registry(Path(tmp) / f"r{size}", size) for size in sizes}
        check = [str(BIN / "kfm-bot"), "check", "--base", "main", "--head", "change"]
        times = {
            s: timed([*check, "--repo", str(r), "--format", "json"], runs) for s, r in repos.items()
        }
        small = times[sizes[0]]
        for size in sizes:
            ratio = times[size] / small
            rows.append(
                row(
                    "check, one-dataset change",
                    f"{size:,} sources",
                    f"{times[size]:.0f} ms ({ratio:.2f}× the {sizes[0]} case)",
                    "≤ 1.5× the 10 case",
                    ratio <= 1.5,
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
