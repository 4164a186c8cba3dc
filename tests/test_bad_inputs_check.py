"""Hostile files and trees through `kfm-bot check` as a subprocess: exit 1, a located finding,
no traceback, under 2 s and 1 GiB of address space each (issue 2, item 8).

Every file of tests/bad_inputs/ replaces a source entry (or the spec, catalog or receipt its
name mentions) in the working tree of a real example repository; the 64 MiB and 50,000-deep
files are generated here. Tree-level cases come from tests/bad_trees/builders.py, committed
on a branch.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.bad_trees.builders import TREES, W
from tests.gitrepo import GIT_ENV, commit_all, git, init_example_repo

CORPUS = Path(__file__).parent / "bad_inputs"
SOURCE = "registry/sources/kgs-water-wells.yaml"
MEMORY_LIMIT = 1 << 30
TIME_LIMIT = 2.0
NOT_INPUTS = {"expected.json", "README.md", "__init__.py"}


@dataclass
class Outcome:
    code: int
    output: str
    seconds: float
    report: dict[str, Any] | None


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _check(repo: Path, *args: str) -> Outcome:
    cmd = [sys.executable, "-m", "kfm_bot", "check", "--repo", str(repo), "--format", "json", *args]
    env = {**GIT_ENV, "PATH": os.environ.get("PATH", GIT_ENV["PATH"])}
    start = time.monotonic()
    done = subprocess.run(
        cmd, env=env, capture_output=True, text=True, timeout=30, preexec_fn=_limit_memory
    )
    seconds = time.monotonic() - start
    try:
        report = json.loads(done.stdout)
    except ValueError:
        report = None
    return Outcome(done.returncode, done.stdout + done.stderr, seconds, report)


def _corpus() -> dict[str, bytes]:
    """Name -> bytes: every committed hostile file, plus the two too big to commit."""
    files = {
        p.name: p.read_bytes()
        for p in sorted(CORPUS.glob("*"))
        if p.is_file() and p.name not in NOT_INPUTS and p.suffix != ".py"
    }
    files["generated-64mib.yaml"] = b"kfm_source_version: v1\n# " + b"x" * (64 << 20) + b"\n"
    files["generated-deep-flow.yaml"] = b"sources: " + b"[" * 50_000 + b"]" * 50_000 + b"\n"
    return files


def _expected() -> dict[str, str]:
    path = CORPUS / "expected.json"
    raw = json.loads(path.read_text()) if path.exists() else {}
    items = raw.items() if isinstance(raw, dict) else []
    return {k: v if isinstance(v, str) else str(v.get("rule", "")) for k, v in items}


def _placement(name: str) -> str:
    if "catalog" in name:
        return f"{W}/catalog/dcat.json"
    if "receipt" in name:
        return f"{W}/receipts/ks_water_wells-20261104T130000Z.json"
    if "spec" in name:
        return f"{W}/spec.yaml"
    return SOURCE


def _located(outcome: Outcome, path: str) -> list[dict[str, Any]]:
    gates = (outcome.report or {}).get("gates", [])
    return [
        f
        for g in gates
        for f in g["findings"]
        if f["severity"] == "error" and f["path"] and f["path"].startswith(path) and f["line"]
    ]


CORPUS_FILES = _corpus()


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return init_example_repo(tmp_path_factory.mktemp("example") / "repo")


def _run_input(example: Path, root: Path, name: str) -> Outcome:
    repo = root / "repo"
    shutil.copytree(example, repo, symlinks=True)
    git(repo, "checkout", "-q", "-b", "change")
    (repo / _placement(name)).write_bytes(CORPUS_FILES[name])
    return _check(repo)


def _run_tree(example: Path, root: Path, name: str) -> Outcome:
    repo = root / "repo"
    shutil.copytree(example, repo, symlinks=True)
    git(repo, "checkout", "-q", "-b", "change")
    TREES[name][0](repo)
    commit_all(repo, f"hostile tree {name}")
    return _check(repo, "--base", "main", "--head", "change")


@pytest.fixture(scope="module")
def outcomes(example: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    """All cases, two at a time (each is a separate process with its own limits)."""
    jobs: list[tuple[str, Callable[[Path, Path, str], Outcome], str]] = [
        (f"input:{n}", _run_input, n) for n in CORPUS_FILES
    ] + [(f"tree:{n}", _run_tree, n) for n in TREES]

    def run(job: tuple[str, Callable[[Path, Path, str], Outcome], str]) -> tuple[str, Outcome]:
        key, fn, name = job
        return key, fn(example, tmp_path_factory.mktemp("case"), name)

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(run, jobs))


def _assert_contained(outcome: Outcome) -> None:
    assert "Traceback" not in outcome.output, outcome.output[-3000:]
    assert outcome.code == 1, outcome.output[-3000:]
    assert outcome.seconds < TIME_LIMIT, f"took {outcome.seconds:.2f}s"
    assert outcome.report is not None


@pytest.mark.parametrize("name", sorted(CORPUS_FILES))
def test_bad_input_through_check(name: str, outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes[f"input:{name}"]
    _assert_contained(outcome)
    where = _placement(name)
    located = _located(outcome, where)
    assert located, f"no located error at {where}: {outcome.output[-3000:]}"
    rule = _expected().get(name)
    if rule:
        assert rule in {f["rule"] for f in located}, (rule, located)


@pytest.mark.parametrize("name", sorted(TREES))
def test_bad_tree_through_check(name: str, outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes[f"tree:{name}"]
    _assert_contained(outcome)
    _builder, rule, where = TREES[name]
    assert rule in {f["rule"] for f in _located(outcome, where)}, outcome.output[-3000:]


def test_corpus_is_there() -> None:
    names: Iterator[str] = iter(CORPUS_FILES)
    assert sum(1 for _ in names) >= 2
