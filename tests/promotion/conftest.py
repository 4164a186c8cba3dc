"""Fixtures for the promotion tests: an emulator world holding the example content."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kfm_bot.emulator.testing import running_emulator
from tests.github.world import World, make_world


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    with running_emulator(tmp_path) as emu:
        yield make_world(emu, tmp_path)
