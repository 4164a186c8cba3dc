"""Review and comment bodies as a timeline of parsed commands, with their author and time."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from kfm_bot.approvals.facts import Principal, PullFacts
from kfm_bot.approvals.roster import NEVER, utc_stamp, when
from kfm_bot.approvals.slash_commands import Command, Problem, parse_commands
from kfm_bot.approvals.state import Cutoff


@dataclass(frozen=True)
class Post:
    """A review or comment: `source` is `review:<id>` or `comment:<id>`."""

    source: str
    user: Principal | None
    at: datetime
    stamp: str
    commands: tuple[Command, ...]
    problems: tuple[Problem, ...]
    review_state: str | None = None  # None for comments

    def has(self, verb: str) -> bool:
        return any(c.verb == verb for c in self.commands)


def posts(facts: PullFacts) -> list[Post]:
    """Every submitted review and every comment, oldest first; at equal times reviews first."""
    found: list[tuple[datetime, int, int, Post]] = []
    for r in facts.reviews:
        if r.submitted_at and when(r.submitted_at) != NEVER:  # else pending or unorderable
            # Webhook payloads spell states in lowercase, the REST API in uppercase.
            post = _post(f"review:{r.id}", r.user, r.submitted_at, r.body, r.state.upper())
            found.append((post.at, 0, r.id, post))
    for c in facts.comments:
        post = _post(f"comment:{c.id}", c.user, c.created_at, c.body, None)
        found.append((post.at, 1, c.id, post))
    return [item[3] for item in sorted(found, key=lambda t: t[:3])]


def _post(source: str, user: Principal | None, stamp: str, body: str, state: str | None) -> Post:
    commands, problems = parse_commands(body)
    moment = when(stamp)
    return Post(source, user, moment, utc_stamp(moment), tuple(commands), tuple(problems), state)


def cutoffs(items: list[Post], carried: Iterable[Cutoff] = ()) -> dict[int, tuple[datetime, str]]:
    """Per user id, their latest CHANGES_REQUESTED review or `/kfm revoke` (time, RFC 3339)."""
    out: dict[int, tuple[datetime, str]] = {c.by_id: (when(c.at), c.at) for c in carried}
    for post in items:
        if post.user is None:
            continue
        if post.review_state == "CHANGES_REQUESTED" or post.has("revoke"):
            found = (post.at, post.stamp)
            out[post.user.id] = max(out.get(post.user.id, found), found)
    return out
