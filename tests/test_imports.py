"""Imports: every module imports on its own, the layers of DESIGN.md section 11 hold, and no
package imports another in a cycle (a cycle is what makes an import order matter)."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import grimp
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

# Outside the layers: the emulator, a tool of its own with its own contracts in pyproject.toml.
UNLAYERED = {"kfm_bot.emulator"}


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


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("kfm_bot", cache_dir=None)


def child_edges(graph: grimp.ImportGraph, parent: str) -> dict[str, set[str]]:
    """Each child of `parent` -> the other children it imports, from any module inside it."""
    children = sorted(graph.find_children(parent))
    edges: dict[str, set[str]] = {c: set() for c in children}
    for importer in children:
        inside = {importer} | graph.find_descendants(importer)
        for imported in children:
            if importer == imported:
                continue
            reached = {imported} | graph.find_descendants(imported)
            if any(graph.find_modules_directly_imported_by(m) & reached for m in inside):
                edges[importer].add(imported)
    return edges


def cycles(edges: Mapping[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(found)


def test_the_cycle_finder_sees_a_package_cycle_through_a_submodule() -> None:
    fake = grimp.ImportGraph()
    for name in ("p", "p.a", "p.a.deep", "p.b", "p.c"):
        fake.add_module(name)
    fake.add_import(importer="p.a.deep", imported="p.b")
    fake.add_import(importer="p.b", imported="p.a")
    fake.add_import(importer="p.c", imported="p.a.deep")
    assert child_edges(fake, "p") == {"p.a": {"p.b"}, "p.b": {"p.a"}, "p.c": {"p.a"}}
    assert cycles(child_edges(fake, "p")) == [["p.a", "p.b"]]


def test_no_package_of_kfm_bot_imports_another_in_a_cycle(graph: grimp.ImportGraph) -> None:
    assert cycles(child_edges(graph, "kfm_bot")) == []


def _contract(kind: str) -> dict[str, Any]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    [found] = [c for c in contracts if c["type"] == kind]
    return dict(found)


def test_every_top_level_module_sits_in_exactly_one_layer(graph: grimp.ImportGraph) -> None:
    """A new package is placed in the layers on purpose, never left outside the contract."""
    named = [m for layer in _contract("layers")["layers"] for m in re.split(r"[:|]", layer)]
    named = [m.strip() for m in named]
    assert len(named) == len(set(named)), "a module is named in two layers"
    assert set(named) == graph.find_children("kfm_bot") - UNLAYERED


def test_the_import_contracts_hold() -> None:
    """lint-imports itself (`make test` runs it too), so that pytest alone catches an arrow
    that runs back up: layers, cycles inside packages, and the emulator's isolation."""
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from importlinter.cli import lint_imports_command; lint_imports_command()",
            "--no-cache",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout
