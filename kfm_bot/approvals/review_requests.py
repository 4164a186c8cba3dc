"""Who could give each missing role, and whom the bot asks to review (DESIGN.md section 6).

Pure: the GitHub side posts `RequestPlan.to_request` in one request and carries
`RequestPlan.requested` in the approvals state, so re-runs ask nobody twice:
- at most `per_role` stewards per missing role are asked (those already asked count);
- never the PR author, a commit author or committer, a bot, someone GitHub lists as already
  requested, or someone who already reviewed;
- never twice: a steward the state says was asked is not asked again, unless a `/kfm request`
  is newer than that request (or than their review, or in its second), which lifts both
  for that steward.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from kfm_bot.approvals.facts import PullFacts
from kfm_bot.approvals.result import RequestPlan, UnitResult
from kfm_bot.approvals.roster import NEVER, Roster, utc_stamp, when
from kfm_bot.approvals.state import ApprovalState, Requested
from kfm_bot.approvals.timeline import Post
from kfm_bot.models.policies import Steward

_EPOCH = "1970-01-01T00:00:00Z"


def carried_requests(states: Iterable[ApprovalState | None]) -> dict[int, Requested]:
    """The newest request per steward across every carried state."""
    found: dict[int, Requested] = {}
    for state in states:
        for item in state.requested if state is not None else ():
            old = found.get(item.by_id)
            if old is None or when(item.at) > when(old.at):
                found[item.by_id] = item
    return found


def _missing_roles(units: Sequence[UnitResult]) -> dict[str, set[str]]:
    """Role -> logins whose approval already fills it somewhere (they need no asking)."""
    roles: dict[str, set[str]] = {}
    for unit in units:
        for role, count in unit.missing.items():
            if count > 0:
                roles.setdefault(role, set())
        for used in unit.approvals:
            roles.setdefault(used.role, set()).add(used.login.lower())
    missing = {r for u in units for r, n in u.missing.items() if n > 0}
    return {r: s for r, s in roles.items() if r in missing}


def _latest(posts: Sequence[Post], facts: PullFacts) -> tuple[datetime, str]:
    """The newest `/kfm request` (NEVER-less: the epoch when none) and the newest post time."""
    asked = [p.at for p in posts if p.has("request") and p.user is not None]
    newest = max((p.at for p in posts), default=when(_EPOCH))
    command = max(asked, default=when(_EPOCH))
    return command, utc_stamp(newest) if newest != NEVER else _EPOCH


def plan_requests(
    units: Sequence[UnitResult],
    roster: Roster,
    outsiders: frozenset[int],
    facts: PullFacts,
    posts: Sequence[Post],
    carried: Mapping[int, Requested],
    per_role: int,
) -> RequestPlan:
    """`outsiders`: the author and every commit author or committer (never asked)."""
    command, stamp = _latest(posts, facts)
    has_command = command > when(_EPOCH)
    reviewed: dict[int, datetime] = {}
    for review in facts.reviews:
        if review.user is not None:
            moment = when(review.submitted_at, when(_EPOCH))
            reviewed[review.user.id] = max(reviewed.get(review.user.id, moment), moment)
    pending = {login.lower() for login in facts.requested_reviewers}
    eligible = sorted(
        (s for s in roster.by_id.values() if s.id not in outsiders and s.id not in roster.bots),
        key=lambda s: s.login.lower(),
    )

    def asked(steward: Steward) -> bool:
        if steward.login.lower() in pending:
            return True
        before = carried.get(steward.id)
        return before is not None and not (has_command and command > when(before.at))

    def blocked(steward: Steward) -> bool:
        # GitHub's times are whole seconds: a command in the second of the review counts as
        # after it (asking once more is harmless; `asked` above still stops any repeat).
        seen = reviewed.get(steward.id)
        return seen is not None and not (has_command and command >= seen)

    could_give: dict[str, tuple[str, ...]] = {}
    chosen: list[Steward] = []
    for role, filled_by in sorted(_missing_roles(units).items()):
        holders = [s for s in eligible if role in s.roles and s.login.lower() not in filled_by]
        could_give[role] = tuple(s.login for s in holders)
        already = sum(1 for s in holders if asked(s) or s in chosen)
        for steward in holders:
            if already >= per_role:
                break
            if steward in chosen or asked(steward) or blocked(steward):
                continue
            chosen.append(steward)
            already += 1
    requested = dict(carried)
    for steward in chosen:
        requested[steward.id] = Requested(by_id=steward.id, login=steward.login, at=stamp)
    return RequestPlan(
        could_give,
        tuple(s.login for s in chosen),
        tuple(requested[i] for i in sorted(requested)),
    )
