"""Ships the repository's example content inside the wheel, for `kfm-bot demo` (README: Packaging).

The top-level registry/, specs/, policies/ and schemas/ are this repository's own governed
content and stay where they are; at wheel build time they are copied to
`kfm_bot/demo/content/`, where `kfm_bot.demo.project.project_root` finds them in an installed
wheel. Everything else about the package is declared in pyproject.toml.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

CONTENT = ("registry", "specs", "policies", "schemas")  # = kfm_bot.demo.project.CONTENT
HERE = Path(__file__).resolve().parent


class BuildWithContent(build_py):
    """build_py, then a copy of the example content under kfm_bot/demo/content/."""

    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "kfm_bot" / "demo" / "content"
        if self.editable_mode:  # an editable install reads the checkout itself
            return
        shutil.rmtree(target, ignore_errors=True)
        for name in CONTENT:
            # A missing folder (an sdist without it) fails the build rather than making a wheel
            # whose demo breaks later.
            shutil.copytree(HERE / name, target / name)
        origin = Path(self.build_lib) / "kfm_bot" / "scaffold" / "origin.json"
        origin.write_text(json.dumps(built_from()) + "\n")


def built_from() -> dict[str, object]:
    """The commit being built and whether the tree matches it: `kfm-bot init` pins it by
    default (kfm_bot/scaffold/origin.py). No git (an sdist): nothing is claimed."""

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", "-C", str(HERE), *args], capture_output=True,
                                  text=True, timeout=30, check=True)  # fmt: skip
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip()

    commit = git("rev-parse", "--verify", "HEAD")
    changed = git("status", "--porcelain", "--untracked-files=no")
    return {"commit": commit, "clean": commit is not None and changed == ""}


setup(cmdclass={"build_py": BuildWithContent})
