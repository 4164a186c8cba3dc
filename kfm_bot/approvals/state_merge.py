"""The PR's approval state, merged from its copies: the check runs and the bot's record comment.

Pure: which comment is a trusted record, what it says, and the merge that never loosens;
kfm_bot/github/state_comment.py writes the comment.

Why a comment: the approvals check run hangs on a head commit, and after a force-push (squash,
rebase, reset) to a head that no review points at, no earlier run can be found any more; a
hold whose comment was deleted was then lifted, and a steward whose commit was squashed away
could approve. The record is keyed by the pull request instead: one comment that the bot
edits in place, found in the comment listing the bot reads anyway, so no push history and
no extra request per event can lose it. It is trusted only when its author is one of the bot
accounts the base roster names (`bots:` in policies/stewards.yaml); anyone else's copy of
the marker is ignored. States only ever merge upward (see `merge`).

Not chosen: looking the bot's check runs up on every head the PR ever had (its timeline's
force-push events) costs one request per past head, unbounded; a bot-owned git ref costs
several requests per write. The record costs none to read, as the comments are listed anyway
(the review path lists them only when the head carries no state or the review can change it),
and one write when its state changes. Limit: GitHub lets anyone with write access edit any
comment, the record too, so it is merged with every check-run state found, never trusted over
one; someone with write access who edits it and then force-pushes could still shrink it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kfm_bot.approvals.check_run_state import PREFIX, parse_state, state_block
from kfm_bot.approvals.facts import Comment, Principal
from kfm_bot.approvals.roster import when
from kfm_bot.approvals.state import (
    MAX_CONTRIBUTORS,
    MAX_HISTORY,
    MAX_HOLDS,
    ApprovalState,
    Cutoff,
    Hold,
)
from kfm_bot.approvals.state_seal import StateSeal

INTRO = (
    "**kfm-bot approval state.** kfm-bot keeps this pull request's holds, revokes and commit "
    "contributors here, so that no force-push or deleted comment can drop them. It reads this "
    "comment back only from its own account; please leave it as it is."
)


@dataclass(frozen=True)
class Record:
    """A trusted state comment: its id (to edit it in place) and the state it holds."""

    comment_id: int
    state: ApprovalState


def record_body(state: ApprovalState, seal: StateSeal | None = None) -> str:
    return f"{INTRO}\n\n{state_block(state, seal)}\n"


def worth_keeping(state: ApprovalState, author_id: int | None) -> bool:
    """Whether the state holds anything a push or a deleted comment could drop: a hold, a
    revoke or change request, or a commit by someone other than the PR author."""
    return bool(state.holds or state.cutoffs or set(state.contributors) - {author_id})


def is_record(body: str) -> bool:
    return PREFIX in body


def trusted_author(user: Principal | None, bots: frozenset[int]) -> bool:
    """Only a bot account that the base roster lists as one of the bot's own identities."""
    return user is not None and user.type == "Bot" and user.id in bots


def records(
    comments: Iterable[Comment],
    bots: frozenset[int],
    pr: int,
    notes: list[str],
    seal: StateSeal | None = None,
) -> list[Record]:
    """The trusted records for PR `pr`, oldest first; a marker from anyone else is noted."""
    found: list[Record] = []
    for c in sorted(comments, key=lambda c: c.id):
        if not is_record(c.body):
            continue
        if not trusted_author(c.user, bots):
            who = c.user.login if c.user else "a deleted account"
            notes.append(
                f"ignored an approvals state in comment {c.id} by {who}: only the bot accounts "
                "listed under `bots:` in policies/stewards.yaml are trusted"
            )
            continue
        said: list[str] = []
        state = parse_state(c.body, pr=pr, notes=said, seal=seal)
        notes.extend(f"comment {c.id}: {n}" for n in said)
        if state is not None:
            found.append(Record(c.id, state))
    return found


def merge(pr: int, head_sha: str, states: Sequence[ApprovalState | None]) -> ApprovalState | None:
    """One state from several copies (check run, records), never less restrictive than any.

    Holds, contributors and history are united, each person's cutoff is the latest; a hold
    leaves the state only when a later steward `/kfm unhold` lifts it (holds.active_holds).
    """
    present = [s for s in states if s is not None and s.pr == pr]
    if not present:
        return None
    holds: dict[str, Hold] = {}
    cutoffs: dict[int, str] = {}
    for state in present:
        for hold in state.holds:
            holds.setdefault(hold.source, hold)
        for cut in state.cutoffs:
            if cut.by_id not in cutoffs or when(cut.at) > when(cutoffs[cut.by_id]):
                cutoffs[cut.by_id] = cut.at
    newest_holds = sorted(holds.values(), key=lambda h: (when(h.at), h.source))[-MAX_HOLDS:]
    history = dict.fromkeys(sha for s in present for sha in s.history)
    contributors = sorted({i for s in present for i in s.contributors})
    return ApprovalState(
        pr=pr,
        head_sha=head_sha,
        holds=tuple(newest_holds),
        history=tuple(history)[:MAX_HISTORY],
        contributors=tuple(contributors)[:MAX_CONTRIBUTORS],
        cutoffs=tuple(Cutoff(by_id=i, at=at) for i, at in sorted(cutoffs.items()))[
            :MAX_CONTRIBUTORS
        ],
    )
