"""Every REST endpoint the emulator serves, composed in this one place from the handler modules.

A new handler module is listed here; importing a module never adds routes by itself.
"""

from __future__ import annotations

from kfm_bot.emulator import (
    handlers_apps,
    handlers_checks,
    handlers_git,
    handlers_issues,
    handlers_pulls,
    handlers_repos,
)
from kfm_bot.emulator.routes import Table

# Ties between equally literal patterns keep this order (the order routes were loaded in before).
TABLE = Table(
    (
        handlers_checks.ROUTES,
        handlers_git.ROUTES,
        handlers_issues.ROUTES,
        handlers_pulls.ROUTES,
        handlers_repos.ROUTES,
        handlers_apps.ROUTES,
    )
)
