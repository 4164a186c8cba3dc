"""Test helpers: an emulator that fails the test when any request or response broke the spec."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from kfm_bot.emulator.control import Emulator


class SpecViolationError(AssertionError):
    """Raised when the emulator saw traffic that does not match GitHub's description."""


@contextlib.contextmanager
def running_emulator(tmp_path: Path, state_file: Path | None = None) -> Iterator[Emulator]:
    """Start an emulator under tmp_path; on exit, fail if it recorded any violation.

    A test that provokes violations on purpose clears `emu.violations` before leaving.
    """
    emu = Emulator(tmp_path / "github-emulator", state_file)
    emu.start()
    try:
        yield emu
    finally:
        emu.stop()
    if emu.violations:
        lines = "\n".join(f"- {v}" for v in emu.violations)
        raise SpecViolationError(
            f"GitHub emulator saw {len(emu.violations)} violation(s):\n{lines}"
        )
