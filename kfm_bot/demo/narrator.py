"""How the demo speaks: numbered steps, commands as a person would type them, their output."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Narrator:
    out: object = field(default=sys.stdout)
    step_no: int = 0
    child_env: Mapping[str, str] = field(default_factory=dict, repr=False)  # S3, children only

    def _print(self, text: str = "") -> None:
        print(text, file=self.out, flush=True)  # type: ignore[call-overload]

    def step(self, title: str) -> None:
        self.step_no += 1
        self._print()
        self._print(f"== {self.step_no}. {title} ==")

    def say(self, text: str) -> None:
        self._print(textwrap.fill(text, width=96))

    def block(self, text: str, indent: str = "    ") -> None:
        self._print(textwrap.indent(text.rstrip("\n"), indent))

    def run(
        self, args: list[str], cwd: Path, env: Mapping[str, str] | None = None, show: str = ""
    ) -> subprocess.CompletedProcess[str]:
        """Run a kfm-bot command as a contributor would, and show what it printed."""
        self._print(f"$ {show or 'kfm-bot ' + ' '.join(args)}")
        proc = subprocess.run(
            [sys.executable, "-m", "kfm_bot", *args],
            cwd=cwd,
            env={**(env if env is not None else os.environ), **self.child_env},
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        self.block(proc.stdout + proc.stderr)
        self._print(f"(exit {proc.returncode})")
        return proc
