"""The project's commands as a subprocess, through the interpreter running the tests.

No virtualenv path is assumed, so the suite passes under any pytest whose environment has
kfm-bot installed (`make`, an IDE, another venv, CI)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

KFM_BOT: tuple[str, ...] = (sys.executable, "-m", "kfm_bot")

# What coverage.py's `patch = subprocess` puts in the environment so a Python child measures
# itself (`make pytest`). A child given its own `env=` would drop them and go unmeasured.
COVERAGE_VARIABLES = ("COVERAGE_PROCESS_CONFIG", "COVERAGE_PROCESS_START")


def measured(env: Mapping[str, str]) -> dict[str, str]:
    """`env` plus this run's coverage variables, when the run is measured at all."""
    return {**env, **{k: os.environ[k] for k in COVERAGE_VARIABLES if k in os.environ}}


def unmeasured(env: Mapping[str, str]) -> dict[str, str]:
    """`env` without them: for a child whose CPU time is under test, which tracing inflates."""
    return {k: v for k, v in env.items() if k not in COVERAGE_VARIABLES}


def tool(name: str) -> str:
    """A console script of the dev extra (zizmor, check-jsonschema): the one installed beside
    this interpreter first, then PATH; a missing one fails the test with what to install."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise FileNotFoundError(f"{name} is not installed; run: pip install -e '.[dev]'")
    return found


def kfm_bot(
    *args: str | Path,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """`kfm-bot ARGS` as its own process (None for env: the test's own environment)."""
    return subprocess.run(
        [*KFM_BOT, *map(str, args)],
        cwd=cwd,
        env=None if env is None else measured(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
