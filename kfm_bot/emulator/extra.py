"""Whether the `kfm-bot[emulator]` extra is installed: the emulator's own dependencies.

The privileged workflows install kfm-bot without the extra, so openapi-core and werkzeug are
imported only when a validator is built, graphql-core only for a `POST /graphql`; the
commands that start an emulator ask here first and stop with one sentence instead of failing
halfway through.
"""

from __future__ import annotations

import importlib

# The top-level modules the extra brings (see `emulator` in pyproject.toml).
MODULES = ("openapi_core", "werkzeug", "graphql")
NEEDED = "the emulator needs the extra: pip install 'kfm-bot[emulator]'"


def missing() -> str | None:
    """Why the emulator cannot run here (one sentence), or None when the extra is installed."""
    for name in MODULES:
        try:
            importlib.import_module(name)
        except ImportError:
            return NEEDED
    return None
