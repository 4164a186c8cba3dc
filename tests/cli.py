"""The project's commands as a subprocess, through the interpreter running the tests.

No virtualenv path is assumed, so the suite passes under any pytest whose environment has
kfm-bot installed (`make`, an IDE, another venv, CI)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

KFM_BOT: tuple[str, ...] = (sys.executable, "-m", "kfm_bot")


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
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
