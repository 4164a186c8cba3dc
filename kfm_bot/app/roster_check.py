"""`kfm-bot roster check`: every steward login of policies/stewards.yaml resolved to its id."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kfm_bot.approvals.roster_accounts import Account, RosterEntry, check
from kfm_bot.errors import UsageError
from kfm_bot.findings import Finding
from kfm_bot.github.interface import GitHubClient, NotFound
from kfm_bot.models.policies import StewardsPolicy
from kfm_bot.policy.dirsnap import PolicyDirSnapshot
from kfm_bot.policy.policyset import STEWARDS
from kfm_bot.repo.documents import DocumentStore


@dataclass(frozen=True)
class RosterReport:
    checked: int
    findings: list[Finding]


def roster_entries(repo_dir: Path) -> list[RosterEntry]:
    """The stewards of the working tree's roster, each located at its `login` value; a roster
    that does not load is a usage error naming its located problems."""
    if not (repo_dir / "policies").is_dir():
        raise UsageError(f"{repo_dir / 'policies'} is not a directory; pass --repo DIR")
    docs = DocumentStore(PolicyDirSnapshot(repo_dir))
    loaded = docs.load(STEWARDS)
    if loaded is None:
        raise UsageError(f"{STEWARDS} is missing under {repo_dir}")
    roster = docs.model(STEWARDS, StewardsPolicy)
    if roster is None:
        problems = [*loaded.findings, *docs.schema_findings.get(STEWARDS, [])]
        first = problems[0] if problems else None
        where = f"{STEWARDS}:{first.line or 1}: {first.message}" if first else STEWARDS
        raise UsageError(f"{where} (fix the roster first)")
    entries = []
    for index, steward in enumerate(roster.stewards):
        line, column = loaded.locate(["stewards", index, "login"])
        entries.append(RosterEntry(steward.login, steward.id, line, column))
    return entries


def roster_check(repo_dir: Path, client: GitHubClient) -> RosterReport:
    """Look every steward up through the API (one request each); service failures raise."""
    entries = roster_entries(repo_dir)

    def lookup(login: str) -> Account | None:
        try:
            user = client.get_user(login)
        except NotFound:
            return None
        return Account(user.login, user.id or 0)

    return RosterReport(len(entries), check(entries, lookup, STEWARDS))
