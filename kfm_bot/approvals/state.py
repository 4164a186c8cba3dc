"""The approvals state carried from one check run to the next: holds, PR history, contributors."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

MAX_HOLDS = 20
MAX_HISTORY = 200
MAX_CONTRIBUTORS = 200
_SHA = r"^[0-9a-f]{40}([0-9a-f]{24})?$"
_TIME = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})$"
)


Sha = Annotated[str, StringConstraints(pattern=_SHA)]
UserId = Annotated[int, Field(ge=1, le=2**53 - 1)]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Hold(_Frozen):
    """An active `/kfm hold`: who placed it, where (`review:<id>` or `comment:<id>`), when, why."""

    source: str = Field(pattern=r"^(review|comment):[0-9]{1,20}$")
    by_id: UserId
    by_login: str = Field(min_length=1, max_length=64)
    reason: str = Field(max_length=500)
    at: str = Field(pattern=_TIME)


class Cutoff(_Frozen):
    """The time of a person's latest `/kfm revoke` or CHANGES_REQUESTED review."""

    by_id: UserId
    at: str = Field(pattern=_TIME)


class Requested(_Frozen):
    """A review the bot asked of a steward, and when (the newest post it had seen then): it
    never asks again unless a `/kfm request` is newer."""

    by_id: UserId
    login: str = Field(min_length=1, max_length=64)
    at: str = Field(pattern=_TIME)


class ApprovalState(_Frozen):
    """What must survive edits, deletions and force-pushes on GitHub: kept in the approvals
    check run and, keyed by the PR, in the bot's state record (see state_merge.py).

    `holds` are the holds still active; `history` every commit seen in the PR (so an approval
    on a commit dropped by a rebase still binds to that commit's content); `contributors` the
    ids of every commit author or committer seen (they never count as approvers); `cutoffs`
    each person's latest revoke or change request (a deleted revoke comment still revokes).
    """

    kfm_approvals_state_version: Literal[1] = 1
    pr: UserId
    head_sha: Sha
    holds: tuple[Hold, ...] = Field(default=(), max_length=MAX_HOLDS)
    history: tuple[Sha, ...] = Field(default=(), max_length=MAX_HISTORY)
    contributors: tuple[UserId, ...] = Field(default=(), max_length=MAX_CONTRIBUTORS)
    cutoffs: tuple[Cutoff, ...] = Field(default=(), max_length=MAX_CONTRIBUTORS)
    requested: tuple[Requested, ...] = Field(default=(), max_length=MAX_CONTRIBUTORS)
    # The PR's commits as this state's run listed them, for `head_sha` on `base_sha`: those
    # not linked to a GitHub account. A later run on the same head and base (a review, a
    # relay) may stand on `contributors`, `history` and these instead of listing the commits
    # again, when the state is the bot's own (its App) or sealed. None: not recorded (a state
    # from before this field), so the commits are listed.
    base_sha: Sha | None = None
    unattributed: tuple[Sha, ...] | None = Field(default=None, max_length=MAX_HISTORY)
