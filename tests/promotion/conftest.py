"""Fixtures for the promotion tests: the same emulator world as tests/github (see its world.py)."""

from tests.github.world import world

__all__ = ["world"]
