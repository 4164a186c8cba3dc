"""A pull request's approvals: facts from the API, the verdict from the clone, the check result."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from kfm_bot.github import check_runs
from kfm_bot.github.convert import principal
from kfm_bot.github.interface import (
    CheckRun,
    Comment,
    Commit,
    GitHubClient,
    Pull,
    PullSnapshot,
    Review,
)

if TYPE_CHECKING:
    from kfm_bot.approvals.facts import PullFacts
    from kfm_bot.approvals.result import ApprovalResult
    from kfm_bot.approvals.state import ApprovalState
    from kfm_bot.approvals.state_seal import StateSeal


@dataclass
class PullApprovals:
    pull: Pull
    result: ApprovalResult
    comments: Sequence[Comment] | None = None  # None: not listed, so the record is not known


def previous_state(
    runs: Sequence[CheckRun],
    number: int,
    seal: StateSeal | None = None,
    notes: list[str] | None = None,
) -> ApprovalState | None:
    """The state the newest approvals run that carries one holds for this PR (None: none).

    `runs` are the bot's own (the client leaves out other Apps' runs under its names); with a
    `seal`, a state whose seal does not hold is skipped and explained in `notes`: without its
    own App the bot shares GitHub Actions' identity with every workflow of the repository.
    """
    from kfm_bot.approvals.check_run_state import parse_state

    said = notes if notes is not None else []
    named = sorted((r for r in runs if r.name == check_runs.APPROVALS_CHECK), key=lambda r: -r.id)
    for run in named:
        for text in (run.text, run.summary):
            found: list[str] = []
            state = parse_state(text, pr=number, notes=found, seal=seal)
            said.extend(f"check run {run.id}: {n}" for n in found)
            if state is not None:
                return state
    return None


def facts_for(
    pull: Pull,
    reviews: Sequence[Review],
    commits: Sequence[Commit],
    comments: Sequence[Comment],
    previous: ApprovalState | None,
    seal: StateSeal | None = None,
    commits_listed: bool = True,
) -> PullFacts:
    from kfm_bot.approvals import facts as f

    ghost = f.Principal(pull.author.id or 0, pull.author.login, pull.author.type)
    return f.PullFacts(
        number=pull.number,
        author=principal(pull.author) or ghost,
        head_sha=pull.head_sha,
        base_sha=pull.base_sha,
        commits=[
            f.CommitFacts(c.sha, principal(c.author), principal(c.committer)) for c in commits
        ],
        reviews=[
            f.Review(r.id, principal(r.user), r.state, r.body, r.commit_id, r.submitted_at)
            for r in reviews
        ],
        comments=[f.Comment(c.id, principal(c.user), c.body, c.created_at) for c in comments],
        previous_state=previous,
        seal=seal,
        requested_reviewers=pull.requested_reviewers,
        commits_listed=commits_listed,
    )


MAX_STATE_LOOKUPS = 3
STATE_FORGED = "approvals.state-forged"  # a carried state that was not the bot's: never used


def find_previous(
    client: GitHubClient,
    pull: Pull,
    runs: Sequence[CheckRun],
    reviews: Sequence[Review],
    commits: Sequence[Commit],
    lookups: int = MAX_STATE_LOOKUPS,
    seal: StateSeal | None = None,
    notes: list[str] | None = None,
) -> ApprovalState | None:
    """The carried state: on the head, else on the newest earlier commit that has one.

    After a push the last approvals run sits on an older commit; without its history, a review
    of a commit a rebase dropped could no longer be bound to its content.
    """
    state = previous_state(runs, pull.number, seal, notes)
    if state is not None:
        return state
    older = [c.sha for c in reversed(commits)] + [r.commit_id or "" for r in reversed(reviews)]
    candidates = [s for s in dict.fromkeys(older) if s and s != pull.head_sha]
    for sha in candidates[:lookups]:
        listed = client.list_check_runs(sha, check_runs.APPROVALS_CHECK)
        state = previous_state(listed, pull.number, seal, notes)
        if state is not None:
            return state
    return None


def evaluate(
    client: GitHubClient,
    workspace: Path,
    pull: Pull,
    runs: Sequence[CheckRun],
    with_comments: bool,
    *,
    seal: StateSeal | None,
    lookups: int = MAX_STATE_LOOKUPS,
    read: PullSnapshot | None = None,
) -> PullApprovals:
    """Reviews and commits from the API, and comments (steward commands and the PR's state
    record) when `with_comments`; the verdict from git. `read`: all three already read in the
    head's one snapshot (the privileged run), so nothing more is listed.

    The one reader of the carried state for every path (privileged run, review, relay, merge
    queue, promotion): `runs` come from the client, which keeps only the bot's own App's runs,
    and `seal` is required, so that no caller can forget it and read an unsealed state as the
    bot's (a state whose seal does not hold is flagged `STATE_FORGED`, never used)."""
    from kfm_bot.approvals.commits_carried import stands_for_commits
    from kfm_bot.github.pull_workspace import fetch_pull, fetch_reviewed

    notes: list[str] = []
    on_head = previous_state(runs, pull.number, seal, notes)
    if read is not None:  # the snapshot lists the commits too: no state stands in for them
        reviews, commits, listed = list(read.reviews), list(read.commits), True
        comments = list(read.comments) if with_comments else []
    else:
        reviews = client.list_reviews(pull.number)
        # A review or a relay on a head the bot has already seen: its own (or sealed) state
        # stands for the commit list, one request fewer (approvals/commits_carried.py).
        trusted = client.identity.own_app or seal is not None
        carried = stands_for_commits(on_head, pull.number, pull.head_sha, pull.base_sha, trusted)
        listed = not carried
        commits = client.list_pull_commits(pull.number) if listed else []
        comments = client.list_issue_comments(pull.number) if with_comments else []
    previous = on_head
    if previous is None:
        previous = find_previous(client, pull, (), reviews, commits, lookups, seal, notes)
    fetch_pull(workspace, pull)
    fetch_reviewed(workspace, {r.commit_id for r in reviews if r.commit_id})
    facts = facts_for(pull, reviews, commits, comments, previous, seal, listed)
    result = checkout_approvals(workspace, facts)
    if notes:  # a carried state in a check run that was not the bot's: shown, never used
        from kfm_bot.findings import warning

        said = tuple(warning(STATE_FORGED, n) for n in dict.fromkeys(notes))
        result = replace(result, flags=result.flags + said)
    return PullApprovals(pull, result, comments if with_comments else None)


def checkout_approvals(repo_dir: Path, facts: PullFacts) -> ApprovalResult:
    """The verdict on a PR whose base and head (and reviewed) commits are in the clone."""
    from kfm_bot.approvals.pull import evaluate_pull
    from kfm_bot.repo.pull_trees import read_pull_trees

    return evaluate_pull(read_pull_trees(repo_dir, facts.base_sha, facts.head_sha), facts)


def check_result(
    items: Sequence[PullApprovals], protected: frozenset[str], seal: StateSeal | None = None
) -> check_runs.CheckResult:
    """One run for every PR whose head is this commit: the worst conclusion, each PR's state."""
    from kfm_bot.approvals.render import render_check

    out = render_check([i.result for i in items], protected, seal)
    return check_runs.CheckResult(
        check_runs.APPROVALS_CHECK, out.conclusion, out.title, out.summary, out.text
    )
