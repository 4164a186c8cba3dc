"""The facts about one pull request that the GitHub side gathers for the approvals engine."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kfm_bot.approvals.state import ApprovalState
    from kfm_bot.approvals.state_seal import StateSeal

# Review states as GitHub's REST API spells them; anything else (PENDING) never grants.
APPROVED = "APPROVED"
CHANGES_REQUESTED = "CHANGES_REQUESTED"
COMMENTED = "COMMENTED"
DISMISSED = "DISMISSED"


@dataclass(frozen=True, slots=True)
class Principal:
    """A GitHub account. `type` is GitHub's `user.type`; only "User" accounts can ever approve."""

    id: int
    login: str
    type: str = "User"

    @property
    def principal(self) -> str:
        """The manifest form `github:<id>:<login>`."""
        return f"github:{self.id}:{self.login}"


@dataclass(frozen=True, slots=True)
class Review:
    """One pull-request review. `user` is None for a deleted ("ghost") account.

    `submitted_at` is RFC 3339 (`2026-11-02T10:00:00Z`); `commit_id` is the reviewed commit.
    """

    id: int
    user: Principal | None
    state: str
    body: str
    commit_id: str | None
    submitted_at: str | None


@dataclass(frozen=True, slots=True)
class Comment:
    """An issue comment on the pull request (steward commands: hold, unhold, revoke)."""

    id: int
    user: Principal | None
    body: str
    created_at: str


@dataclass(frozen=True, slots=True)
class CommitFacts:
    """A commit of the PR. None author/committer: not linked to an account (fails closed)."""

    sha: str
    author: Principal | None
    committer: Principal | None


@dataclass(frozen=True, slots=True)
class PullFacts:
    """Everything the engine knows about a PR; `previous_state` comes from the last check run.

    `previous_state` must be read only from a check run the bot itself posted (by app id), and
    only for this PR number: the engine trusts its holds, history and contributors.
    """

    number: int
    author: Principal
    head_sha: str
    base_sha: str
    commits: Sequence[CommitFacts] = ()
    reviews: Sequence[Review] = ()
    comments: Sequence[Comment] = ()
    previous_state: ApprovalState | None = None
    # With a seal, a state record comment counts only when its seal holds (state_seal.py).
    seal: StateSeal | None = None
    # Logins GitHub lists as asked to review and not yet reviewed (the PR's requested_reviewers).
    requested_reviewers: Sequence[str] = ()
    # False: the commits were not listed, because `previous_state` is the bot's own state for
    # this very head and base (approvals/commits_carried.py decides): its contributors,
    # history and unattributed commits stand for them.
    commits_listed: bool = True
