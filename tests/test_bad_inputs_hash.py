"""Every hostile file of tests/bad_inputs/ through `kfm-bot hash` as a subprocess: exit 1, a
located finding with the expected rule, no traceback, under 2 s and 512 MiB of address space.

The 64 MiB file and the 50,000-deep nestings are generated into tmp_path (README.md there).
"""

from __future__ import annotations

import json
import os
import re
import resource
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.cli import unmeasured

CORPUS = Path(__file__).parent / "bad_inputs"
EXPECTED: dict[str, str] = json.loads((CORPUS / "expected.json").read_text())
GENERATED = {
    "flow-nesting-50000.yaml": "A.yaml-too-deep",
    "block-nesting-50000.yaml": "A.yaml-too-deep",
    "huge-64mib.yaml": "A.yaml-too-large",
}
MEMORY_LIMIT = 512 << 20
# CPU seconds, enforced by the kernel (RLIMIT_CPU): a hostile input that makes the hash spin is
# killed by SIGXCPU whatever the load on a shared machine, where a wall-clock bound is noise.
CPU_LIMIT = 2


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str
    seconds: float


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_LIMIT, CPU_LIMIT))


def _hash(path: Path) -> Outcome:
    """`kfm-bot hash PATH`, untraced by coverage: tracing would count against the time bound."""
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "kfm_bot", "hash", str(path)],
        env=unmeasured(os.environ),
        capture_output=True,
        text=True,
        timeout=30,
        preexec_fn=_limit_memory,
    )
    return Outcome(done.returncode, done.stdout, done.stderr, time.monotonic() - start)


def _generate(folder: Path) -> dict[str, Path]:
    header = b"kfm_pipeline_spec_version: v1\n"
    contents = {
        "flow-nesting-50000.yaml": header + b"params: " + b"[" * 50_000 + b"]" * 50_000 + b"\n",
        "block-nesting-50000.yaml": header + b"params:\n  " + b"- " * 50_000 + b"x\n",
    }
    paths = {}
    for name, data in contents.items():
        paths[name] = folder / name
        paths[name].write_bytes(data)
    huge = paths["huge-64mib.yaml"] = folder / "huge-64mib.yaml"
    with huge.open("wb") as handle:
        handle.write(header + b"# ")
        handle.write(b"x" * (64 << 20))
    return paths


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    paths = {name: CORPUS / name for name in EXPECTED}
    paths.update(_generate(tmp_path_factory.mktemp("generated")))
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = dict(zip(paths, pool.map(_hash, paths.values()), strict=True))
    return results


def test_corpus_is_large_and_fully_described() -> None:
    on_disk = {p.name for p in CORPUS.iterdir() if p.suffix == ".yaml"}
    assert on_disk == set(EXPECTED)
    assert len(on_disk) + len(GENERATED) >= 40


@pytest.mark.parametrize("name", sorted(EXPECTED) + sorted(GENERATED))
def test_bad_input_is_rejected_with_a_located_finding(
    name: str, outcomes: dict[str, Outcome]
) -> None:
    outcome = outcomes[name]
    rule = EXPECTED.get(name) or GENERATED[name]
    assert outcome.code != -signal.SIGXCPU, f"over {CPU_LIMIT} s of CPU"
    assert outcome.code == 1, outcome.stderr
    assert outcome.stdout == ""
    assert "Traceback" not in outcome.stderr
    located = re.compile(rf"^\S*{re.escape(name)}:\d+:\d+: error\[{re.escape(rule)}\] \S.*$", re.M)
    assert located.search(outcome.stderr), outcome.stderr
