"""The emulator as an extra: its boundary with the product, and kfm-bot without `[emulator]`.

A missing extra is simulated by a `None` entry in `sys.modules`, which makes the import
fail exactly as it does when the package is not installed.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from kfm_bot.cli import main
from kfm_bot.emulator import extra

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "kfm_bot"
EMULATOR = PACKAGE / "emulator"
# The product modules allowed to import the emulator (LAYOUT: demo and the emulator command).
MAY_IMPORT_EMULATOR = ("kfm_bot/demo/", "kfm_bot/commands/emulator.py", "kfm_bot/commands/demo.py")
NEEDED = "the emulator needs the extra: pip install 'kfm-bot[emulator]'"
# `kfm-bot ARGS...` in a fresh interpreter where the extra's modules cannot be imported.
WITHOUT_EXTRA = (
    "import sys; sys.modules.update(openapi_core=None, werkzeug=None); "
    "from kfm_bot.cli import main; main(sys.argv[1:])"
)


def imported(path: Path) -> set[str]:
    """Every module `path` imports, at the top or inside a function."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names |= {node.module, *(f"{node.module}.{a.name}" for a in node.names)}
    return names


def product_modules() -> list[Path]:
    return [p for p in sorted(PACKAGE.rglob("*.py")) if EMULATOR not in p.parents]


def test_the_emulator_imports_nothing_from_the_product() -> None:
    leaks = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in sorted(EMULATOR.rglob("*.py"))
        for name in imported(path)
        if (name == "kfm_bot" or name.startswith("kfm_bot."))
        and not name.startswith("kfm_bot.emulator")
    }
    assert leaks == set()


def test_only_demo_and_the_emulator_command_import_the_emulator() -> None:
    users = {
        str(path.relative_to(ROOT))
        for path in product_modules()
        if any(n == "kfm_bot.emulator" or n.startswith("kfm_bot.emulator.") for n in imported(path))
    }
    assert users, "the demo and the emulator command import the emulator"
    assert {u for u in users if not u.startswith(MAY_IMPORT_EMULATOR)} == set()


def test_only_the_emulator_imports_the_extras_modules() -> None:
    users = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in product_modules()
        for name in imported(path)
        if name.split(".")[0] in extra.MODULES
    }
    assert users == set()


def test_the_extra_is_installed_for_the_tests() -> None:
    assert extra.missing() is None


@pytest.mark.parametrize("name", extra.MODULES)
def test_either_missing_module_is_caught(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, name, None)
    assert extra.missing() == NEEDED


@pytest.mark.parametrize(
    "args", [["demo"], ["emulator", "--root", "{tmp}/root"]], ids=["demo", "emulator"]
)
def test_commands_that_need_the_emulator_say_so_and_exit_2(
    args: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setitem(sys.modules, "werkzeug", None)
    with pytest.raises(SystemExit) as done:
        main([a.format(tmp=tmp_path) for a in args])
    assert done.value.code == 2
    out, err = capsys.readouterr()
    assert (out, err) == ("", f"kfm-bot: error: {NEEDED}\n")
    assert not (tmp_path / "root").exists()  # stopped before the emulator made its folders


def test_kfm_bot_without_the_extra() -> None:
    """The entry point in a fresh process: the demo refuses in one line, the gates still run."""
    demo = subprocess.run(
        [sys.executable, "-c", WITHOUT_EXTRA, "demo"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (demo.returncode, demo.stdout) == (2, "")
    assert demo.stderr == f"kfm-bot: error: {NEEDED}\n"
    check = subprocess.run(
        [sys.executable, "-c", WITHOUT_EXTRA, "check", "--all", "--format", "text"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert check.returncode == 0, check.stdout[-2000:] + check.stderr[-2000:]
    assert "conclusion: success" in check.stdout
