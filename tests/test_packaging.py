"""Packaging: the hash-pinned locks follow pyproject.toml, and a built wheel runs on its own.

Offline: the locks are compared with the dependency closure of the installed distributions
(importlib.metadata), and the wheel is built without build isolation and installed with
`--no-deps --no-index` into a fresh venv that borrows this venv's dependencies through a .pth.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from kfm_bot.demo.project import CONTENT

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
LOCK_ENTRY = re.compile(r"^([A-Za-z0-9._-]+)==(\S+)((?:[^\n]*\\\n)*[^\n]*)", re.M)


def locked(path: Path) -> dict[str, tuple[str, str]]:
    """name -> (version, the rest of its entry: markers and --hash options)."""
    text = path.read_text()
    return {canonicalize_name(m[1]): (m[2], m[3]) for m in LOCK_ENTRY.finditer(text)}


def closure(requirements: list[str]) -> set[str]:
    """The names of everything `requirements` pull in on this interpreter, extras followed."""
    seen: set[tuple[str, frozenset[str]]] = set()
    todo = [(Requirement(r), frozenset({""})) for r in requirements]
    while todo:
        req, extras = todo.pop()
        if req.marker and not any(req.marker.evaluate({"extra": e}) for e in extras):
            continue
        key = (canonicalize_name(req.name), frozenset(req.extras))
        if key in seen:
            continue
        seen.add(key)
        for spec in metadata.requires(req.name) or []:
            todo.append((Requirement(spec), frozenset({"", *req.extras})))
    return {name for name, _ in seen}


@pytest.mark.parametrize(
    ("lock", "requirements"),
    [
        ("requirements-runtime.lock", PYPROJECT["project"]["dependencies"]),
        ("requirements-build.lock", PYPROJECT["build-system"]["requires"]),
    ],
)
def test_lock_follows_pyproject(lock: str, requirements: list[str]) -> None:
    entries = locked(ROOT / ".ci" / lock)
    assert entries, f".ci/{lock} pins nothing"
    stale = "run `make lock`"
    # the same package set as pyproject's requirements resolve to here (markers as on CPython)
    assert set(entries) == closure(requirements), stale
    for name, (_version, rest) in entries.items():
        assert "--hash=sha256:" in rest, f"{name} has no hash in .ci/{lock}"
    for spec in map(Requirement, requirements):  # every pin satisfies pyproject's range
        version = entries[canonicalize_name(spec.name)][0]
        assert spec.specifier.contains(version, prereleases=True), f"{spec}: {version}; {stale}"


def test_license_and_metadata_are_declared_the_spdx_way() -> None:
    project = PYPROJECT["project"]
    assert project["license"] == "Apache-2.0" and project["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text()
    assert "Apache License" in text and "Version 2.0, January 2004" in text
    assert "END OF TERMS AND CONDITIONS" in text
    assert "<3.12" not in project["requires-python"]
    declared = {canonicalize_name(Requirement(d).name) for d in project["dependencies"]}
    assert "tenacity" not in declared and "jsonschema" not in declared
    assert not {"openapi-core", "werkzeug", "graphql-core"} & declared  # the emulator extra only


def importers(package: str) -> list[Path]:
    return [
        path
        for path in (ROOT / "kfm_bot").rglob("*.py")
        if re.search(rf"^\s*(import|from) {package}\b", path.read_text(), re.M)
    ]


def test_runtime_dependencies_are_imported() -> None:
    """A runtime dependency no module imports is dead weight on every runner."""
    modules = {"ruamel.yaml.clib": None, "securesystemslib": "securesystemslib", "GitPython": "git"}
    for dep in PYPROJECT["project"]["dependencies"]:
        name = Requirement(dep).name
        if name in modules and modules[name] is None:
            continue  # the C parser ruamel.yaml loads itself
        module = modules.get(name) or {
            "PyGithub": "github",
            "ruamel.yaml": "ruamel.yaml",
            "license-expression": "license_expression",
            "cel-python": "celpy",
        }.get(name, name.replace("-", "_"))
        assert importers(re.escape(module)), f"{name} ({module}) is imported nowhere"


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None, timeout: int = 300) -> str:
    done = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    return done.stdout + done.stderr


def build_wheel(tmp_path: Path) -> tuple[Path, str]:
    """The wheel built offline from this checkout, and the build's output."""
    dist = tmp_path / "dist"
    build = run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "--no-index",
        "-w",
        dist,
        ROOT,
        cwd=tmp_path,
    )
    (wheel,) = dist.glob("kfm_bot-*.whl")
    return wheel, build


def install_in_fresh_venv(tmp_path: Path, wheel: Path) -> tuple[Path, dict[str, str]]:
    """A new venv holding `wheel` (dependencies borrowed from this venv), and the environment
    to run it in; returns the venv folder."""
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    site = Path(
        run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=tmp_path)
        .strip()
        .splitlines()[-1]
    )
    # The dependencies come from this venv's site-packages, a plain path: its .pth files (the
    # editable install of this checkout among them) are not processed for a path line.
    here = Path(str(metadata.distribution("click").locate_file(""))).resolve()
    (site / "borrowed-deps.pth").write_text(f"{here}\n")
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index",
        wheel, cwd=tmp_path)  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COVERAGE", "PYTHON"))}
    return venv, env


@pytest.mark.slow
def test_a_built_wheel_runs_the_demo_with_its_own_example_content(tmp_path: Path) -> None:
    wheel, build = build_wheel(tmp_path)
    assert "Deprecat" not in build, build  # setuptools' license and metadata warnings
    names = zipfile.ZipFile(wheel).namelist()
    assert "kfm_bot/demo/content/specs/ks_county_boundaries/spec.yaml" in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)

    venv, env = install_in_fresh_venv(tmp_path, wheel)
    python = venv / "bin" / "python"
    where = run(
        python,
        "-c",
        "import kfm_bot.demo.project as p; print(p.__file__); print(p.project_root())",
        cwd=tmp_path,
        env=env,
    ).split()
    assert where[-2].startswith(str(venv)) and where[-1] == str(
        Path(where[-2]).parent / "content"
    ), where
    version = run(venv / "bin" / "kfm-bot", "--version", cwd=tmp_path, env=env)
    assert metadata.version("kfm-bot") in version
    out = run(venv / "bin" / "kfm-bot", "demo", "--workdir", tmp_path / "demo", cwd=tmp_path,
              env=env, timeout=600)  # fmt: skip
    assert "ledger ok" in out and "Traceback" not in out, out[-3000:]


def make_up_to_date(tmp_path: Path, venv_python: str) -> bool:
    """`make -q install` in a copy of the Makefile whose .venv/bin/python is `venv_python`
    (a shell script body) and whose install stamp is newer than its inputs."""
    for name in ("Makefile", "pyproject.toml", "kfm_bot/__init__.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes((ROOT / name).read_bytes())
    python = tmp_path / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True, exist_ok=True)
    python.write_text(f"#!/bin/sh\n{venv_python}\n")
    python.chmod(0o755)
    stamp = tmp_path / ".venv" / ".kfm-installed"
    stamp.touch()
    os.utime(stamp, (stamp.stat().st_mtime + 10,) * 2)
    done = subprocess.run(
        ["make", "-q", "install", f"PYTHON={sys.executable}"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode in (0, 1), done.stdout + done.stderr
    return done.returncode == 0


@pytest.mark.slow
@pytest.mark.parametrize(
    ("venv_python", "up_to_date"),
    [
        (f'exec "{sys.executable}" "$@"', True),  # the venv of the Python in use
        ('echo "3.10.4 (main) /usr"', False),  # built by another Python
        ("exit 127", False),  # its interpreter is gone
    ],
    ids=["same", "other", "gone"],
)
def test_make_rebuilds_a_venv_built_by_another_python(
    tmp_path: Path, venv_python: str, up_to_date: bool
) -> None:
    assert make_up_to_date(tmp_path, venv_python) is up_to_date


@pytest.mark.slow
def test_the_sdist_carries_the_content_and_builds_the_same_wheel(tmp_path: Path) -> None:
    """The in-tree backend (.ci/kfm_build.py; the top level holds no setup.py or MANIFEST.in)
    puts the example content and itself into the sdist, and a wheel built from the unpacked
    sdist ships the content as one built from the checkout does."""
    assert not (ROOT / "setup.py").exists() and not (ROOT / "MANIFEST.in").exists()
    code = (
        "import sys; sys.path.insert(0, '.ci'); import kfm_build; "
        "print(kfm_build.build_sdist(sys.argv[1]))"
    )
    out = tmp_path / "sdist"
    out.mkdir()
    name = run(sys.executable, "-c", code, out, cwd=ROOT).strip().splitlines()[-1]
    with tarfile.open(out / name) as tar:
        tar.extractall(tmp_path / "unpacked", filter="data")
    (tree,) = (tmp_path / "unpacked").iterdir()
    assert (tree / ".ci" / "kfm_build.py").is_file()

    def files(root: Path) -> list[str]:
        return sorted(
            p.relative_to(root).as_posix()
            for folder in CONTENT
            for p in (root / folder).rglob("*")
            if p.is_file()
        )

    content = files(ROOT)
    assert files(tree) == content
    dist = tmp_path / "dist"
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
        "-w", dist, tree, cwd=tmp_path)  # fmt: skip
    (wheel,) = dist.glob("kfm_bot-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    shipped = sorted(n for n in names if n.startswith("kfm_bot/demo/content/"))
    assert shipped == ["kfm_bot/demo/content/" + f for f in content]
    assert "kfm_bot/demo/content/specs/ks_county_boundaries/spec.yaml" in names
