"""Fixtures for the GitHub tests: an emulator holding the example content (see world.py)."""

from tests.github.world import world

__all__ = ["world"]
