"""Which APPROVED reviews may grant at all, before content binding and role filling."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from kfm_bot.approvals.facts import APPROVED, DISMISSED, PullFacts
from kfm_bot.approvals.result import Ignored
from kfm_bot.approvals.roster import Roster, is_bot, steward_of
from kfm_bot.approvals.timeline import Post
from kfm_bot.models.policies import Steward

DigestAt = Callable[[str], Mapping[str, str] | None]

REASONS = {
    "ghost": "the account was deleted",
    "bot": "bot accounts never count",
    "pr-author": "the PR author never counts",
    "commit-author": "authored or committed a commit of this PR",
    "id-mismatch": "login on the roster, numeric id differs (renamed or re-registered login)",
    "not-steward": "not on the base branch's steward roster",
    "dismissed": "the review was dismissed",
    "malformed-command": "the body holds a look-alike or malformed /kfm command",
    "revoked": "withdrawn by /kfm revoke",
    "superseded": "a later review by the same person requested changes, or they revoked",
    "commit-outside-pr": "reviewed a commit that is not in this PR's history",
    "commit-unreadable": "the reviewed commit could not be read",
    "narrowed": "/kfm approve in the review names other datasets",
    "stale": "the unit's content changed since the reviewed commit",
    "no-needed-role": "the steward has none of the roles this unit needs",
}


@dataclass(frozen=True)
class Grant:
    """An APPROVED review that passed every person and commit check."""

    post: Post
    review_id: int
    steward: Steward
    scope: frozenset[str] | None  # None: every unit; else the units `/kfm approve` names
    digests: Mapping[str, str]

    @property
    def login(self) -> str:
        return self.post.user.login if self.post.user else self.steward.login


@dataclass(frozen=True)
class Context:
    facts: PullFacts
    roster: Roster
    contributors: frozenset[int]
    history: frozenset[str]
    digest_at: DigestAt
    cutoffs: Mapping[int, tuple[datetime, str]]


def _person_reason(post: Post, ctx: Context) -> str:
    user = post.user
    if user is None:
        return "ghost"
    if is_bot(user, ctx.roster):
        return "bot"
    if user.id == ctx.facts.author.id:
        return "pr-author"
    if user.id in ctx.contributors:
        return "commit-author"
    return steward_of(user, ctx.roster)[1]


def _review_reason(post: Post, commit: str | None, ctx: Context) -> str:
    if post.problems:
        return "malformed-command"
    if post.has("revoke"):
        return "revoked"
    uid = post.user.id if post.user else 0
    if uid in ctx.cutoffs and ctx.cutoffs[uid][0] >= post.at:
        return "superseded"
    if commit is None or commit not in ctx.history:
        return "commit-outside-pr"
    return ""


def collect(timeline: list[Post], ctx: Context) -> tuple[list[Grant], list[Ignored]]:
    """Grants in time order, and each APPROVED or DISMISSED review that grants nothing, with why."""
    commits = {f"review:{r.id}": (r.id, r.commit_id) for r in ctx.facts.reviews}
    memo: dict[str, Mapping[str, str] | None] = {}
    grants: list[Grant] = []
    ignored: list[Ignored] = []
    for post in timeline:
        if post.review_state not in (APPROVED, DISMISSED):
            continue
        review_id, commit = commits[post.source]
        reason = "dismissed" if post.review_state == DISMISSED else _person_reason(post, ctx)
        reason = reason or _review_reason(post, commit, ctx)
        if not reason and commit is not None:
            if commit not in memo:
                memo[commit] = _digests_at(ctx, commit)
            reason = "commit-unreadable" if memo[commit] is None else ""
        if reason:
            ignored.append(ignored_for(post, reason))
            continue
        assert post.user is not None and commit is not None  # checked above
        steward = ctx.roster.by_id[post.user.id]
        grants.append(Grant(post, review_id, steward, _scope(post), memo[commit] or {}))
    return grants, ignored


def _digests_at(ctx: Context, commit: str) -> Mapping[str, str] | None:
    try:
        return ctx.digest_at(commit)
    except Exception:  # whatever the reader hit, a commit it cannot read grants nothing
        return None


def _scope(post: Post) -> frozenset[str] | None:
    named = [a for c in post.commands if c.verb == "approve" for a in c.args]
    return frozenset(named) if any(c.verb == "approve" for c in post.commands) else None


def ignored_for(post: Post, reason: str, unit: str | None = None) -> Ignored:
    login = post.user.login if post.user else "ghost"
    uid = post.user.id if post.user else None
    return Ignored(post.source, uid, login, reason, REASONS[reason], unit)
