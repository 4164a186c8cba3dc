"""Who a GitHub account is to the approvals engine: steward (by numeric id), bot, or nobody."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from kfm_bot.approvals.facts import Principal
from kfm_bot.models.policies import Steward, StewardsPolicy

NEVER = datetime.max.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Roster:
    """The base commit's roster, indexed by id; `logins` only to explain id mismatches."""

    by_id: dict[int, Steward] = field(default_factory=dict)
    logins: dict[str, Steward] = field(default_factory=dict)
    bots: frozenset[int] = frozenset()

    def role_counts(self) -> dict[str, int]:
        """How many stewards hold each role: the rarer role is filled first when people overlap."""
        counts: dict[str, int] = {}
        for steward in self.by_id.values():
            for role in steward.roles:
                counts[role] = counts.get(role, 0) + 1
        return counts


def roster_from(policy: StewardsPolicy | None) -> Roster:
    if policy is None:
        return Roster()
    return Roster(
        {s.id: s for s in policy.stewards},
        {s.login.lower(): s for s in policy.stewards},
        frozenset(b.id for b in policy.bots),
    )


def is_bot(user: Principal, roster: Roster) -> bool:
    return user.type != "User" or user.id in roster.bots or user.login.lower().endswith("[bot]")


def steward_of(user: Principal | None, roster: Roster) -> tuple[Steward | None, str, str]:
    """(steward, reason, detail): the steward, or None with why the account is not one."""
    if user is None:
        return None, "ghost", "the account was deleted"
    if is_bot(user, roster):
        return None, "bot", "bot accounts never count"
    steward = roster.by_id.get(user.id)
    if steward is not None:
        return steward, "", ""
    named = roster.logins.get(user.login.lower())
    if named is not None:
        detail = f"login is on the roster with id {named.id}, but this account's id is {user.id}"
        return None, "id-mismatch", detail
    return None, "not-steward", "not on the base branch's steward roster"


def utc_stamp(moment: datetime) -> str:
    """RFC 3339 in UTC with `Z`, as the manifest's `approved_at` needs it."""
    if moment == NEVER:
        return "9999-12-31T23:59:59Z"
    utc = moment.astimezone(UTC)
    fraction = f".{utc.microsecond:06d}" if utc.microsecond else ""
    return utc.strftime("%Y-%m-%dT%H:%M:%S") + fraction + "Z"


def when(stamp: str | None, missing: datetime = NEVER) -> datetime:
    """An RFC 3339 time as an aware datetime; `missing` (default: far future) when unreadable."""
    if not stamp:
        return missing
    try:
        parsed = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return missing
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
