"""Every module imports on its own, first, in any order: no circular import waits for a user."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # over a second a test: left out of `make test-fast`

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import importlib, pkgutil, sys
import kfm_bot
names = sorted(m.name for m in pkgutil.walk_packages(kfm_bot.__path__, "kfm_bot.")
               if not m.name.endswith("__main__"))
failed = []
for name in names:
    for key in [k for k in sys.modules if k == "kfm_bot" or k.startswith("kfm_bot.")]:
        del sys.modules[key]
    try:
        importlib.import_module(name)
    except Exception as exc:
        failed.append(f"{name}: {type(exc).__name__}: {exc}")
print(len(names))
print("\\n".join(failed))
"""


def test_each_module_imports_first_in_a_fresh_package() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    count, *failures = proc.stdout.strip().splitlines()
    assert int(count) > 100
    assert failures == [], failures
