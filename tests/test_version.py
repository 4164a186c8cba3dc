"""The version has one source, kfm_bot.__version__; metadata and `kfm-bot --version` agree."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import tomllib
from pathlib import Path

import kfm_bot

ROOT = Path(__file__).resolve().parent.parent


def test_pyproject_reads_the_version_from_the_package() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in project["project"], "a second copy of the version"
    assert "version" in project["project"]["dynamic"]
    dynamic = project["tool"]["setuptools"]["dynamic"]["version"]
    assert dynamic == {"attr": "kfm_bot.__version__"}


def test_installed_metadata_and_the_command_agree() -> None:
    installed = importlib.metadata.version("kfm-bot")
    assert installed == kfm_bot.__version__, "reinstall: `make install` (metadata is stale)"
    # The console script beside this interpreter, as `pip install` wrote it.
    script = Path(sys.executable).parent / "kfm-bot"
    done = subprocess.run(
        [str(script), "--version"], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout == f"kfm-bot, version {installed}\n"
