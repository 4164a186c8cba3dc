"""Review and comment bodies as a timeline of parsed commands, with their author and time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kfm_bot.approvals.commands import Command, Problem, parse_commands
from kfm_bot.approvals.facts import Principal, PullFacts
from kfm_bot.approvals.roster import when


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
        if r.submitted_at is not None:
            post = _post(f"review:{r.id}", r.user, r.submitted_at, r.body, r.state)
            found.append((post.at, 0, r.id, post))
    for c in facts.comments:
        post = _post(f"comment:{c.id}", c.user, c.created_at, c.body, None)
        found.append((post.at, 1, c.id, post))
    return [item[3] for item in sorted(found, key=lambda t: t[:3])]


def _post(source: str, user: Principal | None, stamp: str, body: str, state: str | None) -> Post:
    commands, problems = parse_commands(body)
    return Post(source, user, when(stamp), stamp, tuple(commands), tuple(problems), state)


def cutoffs(items: list[Post]) -> dict[int, datetime]:
    """Per user id, the time of their latest CHANGES_REQUESTED review or `/kfm revoke`."""
    out: dict[int, datetime] = {}
    for post in items:
        if post.user is None:
            continue
        if post.review_state == "CHANGES_REQUESTED" or post.has("revoke"):
            out[post.user.id] = max(out.get(post.user.id, post.at), post.at)
    return out
