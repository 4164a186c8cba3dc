"""A pull request's approvals: facts from the API, the verdict from the clone, the check result."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kfm_bot.github import check_runs
from kfm_bot.github.convert import principal
from kfm_bot.github.interface import CheckRun, Comment, Commit, GitHubClient, Pull, Review

if TYPE_CHECKING:
    from kfm_bot.approvals.facts import PullFacts
    from kfm_bot.approvals.result import ApprovalResult
    from kfm_bot.approvals.state import ApprovalState


@dataclass
class PullApprovals:
    pull: Pull
    result: ApprovalResult
    comments: Sequence[Comment] | None = None  # None: not listed, so the record is not known


def previous_state(runs: Sequence[CheckRun], number: int) -> ApprovalState | None:
    """The state the last approvals run carried for this PR (None when there is none)."""
    from kfm_bot.approvals.check_run_state import parse_state

    run = check_runs.find_run(runs, check_runs.APPROVALS_CHECK)
    if run is None:
        return None
    for text in (run.text, run.summary):
        state = parse_state(text, pr=number)
        if state is not None:
            return state
    return None


def facts_for(
    pull: Pull,
    reviews: Sequence[Review],
    commits: Sequence[Commit],
    comments: Sequence[Comment],
    previous: ApprovalState | None,
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
        requested_reviewers=pull.requested_reviewers,
    )


MAX_STATE_LOOKUPS = 3


def find_previous(
    client: GitHubClient,
    pull: Pull,
    runs: Sequence[CheckRun],
    reviews: Sequence[Review],
    commits: Sequence[Commit],
    lookups: int = MAX_STATE_LOOKUPS,
) -> ApprovalState | None:
    """The carried state: on the head, else on the newest earlier commit that has one.

    After a push the last approvals run sits on an older commit; without its history, a review
    of a commit a rebase dropped could no longer be bound to its content.
    """
    state = previous_state(runs, pull.number)
    if state is not None:
        return state
    older = [c.sha for c in reversed(commits)] + [r.commit_id or "" for r in reversed(reviews)]
    candidates = [s for s in dict.fromkeys(older) if s and s != pull.head_sha]
    for sha in candidates[:lookups]:
        state = previous_state(client.list_check_runs(sha, check_runs.APPROVALS_CHECK), pull.number)
        if state is not None:
            return state
    return None


def evaluate(
    client: GitHubClient,
    workspace: Path,
    pull: Pull,
    runs: Sequence[CheckRun],
    with_comments: bool,
    lookups: int = MAX_STATE_LOOKUPS,
) -> PullApprovals:
    """Reviews and commits from the API, and comments (steward commands and the PR's state
    record) when `with_comments`; the verdict from git."""
    from kfm_bot.github.pull_workspace import fetch_pull, fetch_reviewed

    reviews = client.list_reviews(pull.number)
    commits = client.list_pull_commits(pull.number)
    comments = client.list_issue_comments(pull.number) if with_comments else []
    previous = find_previous(client, pull, runs, reviews, commits, lookups)
    fetch_pull(workspace, pull)
    fetch_reviewed(workspace, {r.commit_id for r in reviews if r.commit_id})
    facts = facts_for(pull, reviews, commits, comments, previous)
    listed = comments if with_comments else None
    return PullApprovals(pull, checkout_approvals(workspace, facts), listed)


def checkout_approvals(repo_dir: Path, facts: PullFacts) -> ApprovalResult:
    """The verdict on a PR whose base and head (and reviewed) commits are in the clone."""
    from kfm_bot.approvals.pull import evaluate_pull
    from kfm_bot.repo.pull_trees import read_pull_trees

    return evaluate_pull(read_pull_trees(repo_dir, facts.base_sha, facts.head_sha), facts)


def check_result(
    items: Sequence[PullApprovals], protected: frozenset[str]
) -> check_runs.CheckResult:
    """One run for every PR whose head is this commit: the worst conclusion, each PR's state."""
    from kfm_bot.approvals.render import render_check

    out = render_check([i.result for i in items], protected)
    return check_runs.CheckResult(
        check_runs.APPROVALS_CHECK, out.conclusion, out.title, out.summary, out.text
    )
