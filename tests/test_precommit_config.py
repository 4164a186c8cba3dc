"""The project's own .pre-commit-config.yaml: local hooks only, and the ones that check pass."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / ".pre-commit-config.yaml"
EXPECTED = {"ruff-check", "ruff-format", "mypy", "zizmor", "check-github-workflows"}
# Hooks that only read: run here on the files they select. ruff-format rewrites files (make
# lint checks the format) and mypy is run by `make typecheck`.
READ_ONLY = ("ruff-check", "zizmor", "check-github-workflows")
VENV_BIN = ".venv/bin/"


def hooks() -> dict[str, dict[str, Any]]:
    config: dict[str, Any] = YAML(typ="safe").load(CONFIG.read_text())
    found: dict[str, dict[str, Any]] = {}
    for repo in config["repos"]:
        assert repo["repo"] == "local", "hooks come from the venv, never from the internet"
        found |= {hook["id"]: hook for hook in repo["hooks"]}
    return found


def test_names_the_hooks_and_runs_them_from_the_venv() -> None:
    found = hooks()
    assert set(found) == EXPECTED
    for hook in found.values():
        assert {"id", "name", "entry", "language"} <= set(hook), hook
        assert hook["language"] == "system"
        tool = hook["entry"].split()[0]
        assert tool.startswith(VENV_BIN), f"{hook['id']}: run the venv's tool, not PATH's"
        # The venv the tests run in is the one `make install` built: the tool must be in it.
        assert (Path(sys.executable).parent / tool.removeprefix(VENV_BIN)).is_file(), tool
    assert "vendor.github-workflows" in found["check-github-workflows"]["entry"]
    assert found["mypy"]["pass_filenames"] is False


def selected(hook: dict[str, Any]) -> list[str]:
    """The files pre-commit would pass to the hook on `pre-commit run --all-files`."""
    pattern = re.compile(hook["files"])
    tops = [ROOT / "kfm_bot", ROOT / "tests", ROOT / "benchmarks", ROOT / ".github"]
    paths = (p.relative_to(ROOT).as_posix() for top in tops for p in top.rglob("*") if p.is_file())
    return sorted(p for p in paths if pattern.search(p))


@pytest.mark.parametrize("hook_id", READ_ONLY)
def test_read_only_hooks_pass_on_the_project(hook_id: str) -> None:
    hook = hooks()[hook_id]
    files = selected(hook)
    assert files, f"{hook_id} selects no file"
    tool, *args = hook["entry"].split()
    command = [str(Path(sys.executable).parent / tool.removeprefix(VENV_BIN)), *args, *files]
    done = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
