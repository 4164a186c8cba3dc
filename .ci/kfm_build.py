"""The build backend: setuptools', plus the example content inside the wheel (README: Packaging).

PEP 517 in-tree backend (`backend-path = [".ci"]` in pyproject.toml), so that the project's
top level holds no setup.py or MANIFEST.in. Everything about the package is declared in
pyproject.toml; this module only adds two commands there (`[tool.setuptools.cmdclass]`):

- `build_py` copies the top-level registry/, specs/, policies/ and schemas/ (this
  repository's own governed content, which stays where it is) to `kfm_bot/demo/content/` in
  the wheel, where `kfm_bot.demo.project.project_root` finds them, and records the commit
  built from (`kfm_bot/scaffold/origin.json`, which `kfm-bot init` pins by default);
- `sdist` puts that content and this module into the source distribution, so that a wheel
  built from the sdist has them too.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from setuptools import build_meta as _setuptools
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

# The PEP 517 hooks are setuptools' own.
build_wheel = _setuptools.build_wheel
build_sdist = _setuptools.build_sdist
build_editable = _setuptools.build_editable
get_requires_for_build_wheel = _setuptools.get_requires_for_build_wheel
get_requires_for_build_sdist = _setuptools.get_requires_for_build_sdist
get_requires_for_build_editable = _setuptools.get_requires_for_build_editable
prepare_metadata_for_build_wheel = _setuptools.prepare_metadata_for_build_wheel
prepare_metadata_for_build_editable = _setuptools.prepare_metadata_for_build_editable

CONTENT = ("registry", "specs", "policies", "schemas")  # = kfm_bot.demo.project.CONTENT
HERE = Path(__file__).resolve().parent.parent  # the project: this file is .ci/kfm_build.py
_SKIP = shutil.ignore_patterns("__pycache__", "*.py[cod]")


class BuildWithContent(build_py):
    """build_py, then a copy of the example content under kfm_bot/demo/content/."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads the checkout itself
            return
        target = Path(self.build_lib) / "kfm_bot" / "demo" / "content"
        shutil.rmtree(target, ignore_errors=True)
        for name in CONTENT:
            # A missing folder (an sdist without it) fails the build rather than making a wheel
            # whose demo breaks later.
            shutil.copytree(HERE / name, target / name, ignore=_SKIP)
        origin = Path(self.build_lib) / "kfm_bot" / "scaffold" / "origin.json"
        origin.write_text(json.dumps(built_from()) + "\n")


class SdistWithContent(sdist):
    """sdist, with the example content and this backend in the release tree."""

    def make_release_tree(self, base_dir: str, files: list[str]) -> None:
        super().make_release_tree(base_dir, files)
        base = Path(base_dir)
        for name in CONTENT:
            shutil.copytree(HERE / name, base / name, ignore=_SKIP, dirs_exist_ok=True)
        (base / ".ci").mkdir(exist_ok=True)
        shutil.copy2(Path(__file__), base / ".ci" / Path(__file__).name)


def built_from() -> dict[str, object]:
    """The commit being built and whether the tree matches it: `kfm-bot init` pins it by
    default (kfm_bot/scaffold/origin.py). No git (an sdist): nothing is claimed."""

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", "-C", str(HERE), *args],
                capture_output=True,
                text=True,
                timeout=30,
                check=True,
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip()

    commit = git("rev-parse", "--verify", "HEAD")
    changed = git("status", "--porcelain", "--untracked-files=no")
    return {"commit": commit, "clean": commit is not None and changed == ""}
