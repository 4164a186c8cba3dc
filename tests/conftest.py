"""Guards every test runs under, before any other fixture (see tests/guards.py for the why)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.guards import isolated_environment, socket_patches


@pytest.fixture(scope="session", autouse=True)
def _isolated_machine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Loopback-only sockets, no inherited credentials, a throwaway HOME and git config.

    Session-scoped so the session fixtures (template repositories, promoted worlds) are
    built under the same guards as the tests; a test changes the environment further with
    its own `monkeypatch`, which this fixture restores around."""
    home = tmp_path_factory.mktemp("home")
    wanted = isolated_environment(os.environ, home)
    with pytest.MonkeyPatch.context() as patch:
        for name in set(os.environ) - set(wanted):
            patch.delenv(name)
        for name, value in wanted.items():
            patch.setenv(name, value)
        for owner, attribute, replacement in socket_patches():
            patch.setattr(owner, attribute, replacement)
        yield
