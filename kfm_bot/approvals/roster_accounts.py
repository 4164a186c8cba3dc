"""The steward roster against GitHub's accounts: does each login still name the same person?

Approvals count by numeric user id (`policies/stewards.yaml`); the login is there for
readers. A login can be renamed, and a freed login can be taken by someone else, so a roster
whose logins drift from its ids misleads whoever reads it and whoever the bot asks to review.
This module is pure: the caller looks accounts up (`kfm-bot roster check` through the API).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kfm_bot.findings import Finding, error


@dataclass(frozen=True, slots=True)
class RosterEntry:
    """One steward as the roster file names them, and where (1-based line and column)."""

    login: str
    id: int
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Account:
    """What GitHub says a login is now."""

    login: str
    id: int


def check(
    entries: list[RosterEntry], lookup: Callable[[str], Account | None], path: str
) -> list[Finding]:
    """One finding per entry whose login names no account, or an account with another id."""
    findings = []
    for entry in entries:
        found = lookup(entry.login)
        if found is None:
            findings.append(
                error(
                    "roster.login-not-found",
                    f"steward `{entry.login}` (id {entry.id}): GitHub has no account with this "
                    "login; find the steward's current login by their id and update the entry",
                    path,
                    entry.line,
                    entry.column,
                )
            )
        elif found.id != entry.id:
            findings.append(
                error(
                    "roster.id-mismatch",
                    f"steward `{entry.login}` is listed with id {entry.id}, but GitHub's "
                    f"`{found.login}` is account {found.id}: the login was renamed or reused; "
                    "keep the id of the person you mean and write their current login",
                    path,
                    entry.line,
                    entry.column,
                )
            )
    return findings
