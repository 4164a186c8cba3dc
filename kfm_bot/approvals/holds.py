"""`/kfm hold` and `/kfm unhold`: holds survive edits and deletions through the carried state."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kfm_bot.approvals.facts import Principal
from kfm_bot.approvals.render_parts import mask_precise
from kfm_bot.approvals.result import Ignored
from kfm_bot.approvals.roster import Roster, steward_of, when
from kfm_bot.approvals.state import MAX_HOLDS, Hold
from kfm_bot.approvals.timeline import Post


@dataclass(frozen=True)
class Outsiders:
    """Accounts that may not lift someone else's hold: the PR author and commit contributors."""

    author_id: int
    contributors: frozenset[int]

    def cannot_unhold(self, user: Principal, hold: Hold) -> bool:
        own = user.id == hold.by_id
        return not own and (user.id == self.author_id or user.id in self.contributors)


def _placed(posts: Iterable[Post], roster: Roster, ignored: list[Ignored]) -> dict[str, Hold]:
    found: dict[str, Hold] = {}
    for post in posts:
        command = next((c for c in post.commands if c.verb == "hold"), None)
        if command is None:
            continue
        steward, reason, detail = steward_of(post.user, roster)
        if steward is None or post.user is None:
            login = post.user.login if post.user else "ghost"
            ignored.append(Ignored(post.source, _uid(post), login, f"hold-{reason}", detail))
            continue
        text = mask_precise(command.text) or "no reason given"
        found[post.source] = Hold(
            source=post.source,
            by_id=post.user.id,
            by_login=post.user.login,
            reason=text,
            at=post.stamp,
        )
    return found


def active_holds(
    posts: list[Post], previous: Iterable[Hold], roster: Roster, outsiders: Outsiders
) -> tuple[list[Hold], list[Ignored]]:
    """Holds from the previous state and the bodies, minus those a later valid unhold lifted."""
    ignored: list[Ignored] = []
    holds = {h.source: h for h in previous}
    holds.update(_placed(posts, roster, ignored))
    unholds = [p for p in posts if p.has("unhold")]
    active = [h for h in holds.values() if not _lifted(h, unholds, roster, outsiders, ignored)]
    active.sort(key=lambda h: (when(h.at), h.source))
    return active[-MAX_HOLDS:], _dedupe(ignored)


def _lifted(
    hold: Hold, unholds: list[Post], roster: Roster, outsiders: Outsiders, ignored: list[Ignored]
) -> bool:
    for post in unholds:
        steward, reason, detail = steward_of(post.user, roster)
        if steward is None or post.user is None:
            login = post.user.login if post.user else "ghost"
            ignored.append(Ignored(post.source, _uid(post), login, f"unhold-{reason}", detail))
        elif outsiders.cannot_unhold(post.user, hold):
            detail = "the PR author or a commit author may lift only their own hold"
            ignored.append(
                Ignored(post.source, post.user.id, post.user.login, "unhold-author", detail)
            )
        elif _after(post, hold):
            return True
    return False


def _after(post: Post, hold: Hold) -> bool:
    """GitHub times have one-second resolution: within a second, ids of one kind give the order."""
    placed = when(hold.at)
    if post.at != placed:
        return post.at > placed
    kind, _, number = post.source.partition(":")
    hold_kind, _, hold_number = hold.source.partition(":")
    return (
        kind == hold_kind
        and number.isdigit()
        and hold_number.isdigit()
        and int(number) > int(hold_number)
    )


def _uid(post: Post) -> int | None:
    return post.user.id if post.user else None


def _dedupe(items: list[Ignored]) -> list[Ignored]:
    return list(dict.fromkeys(items))
