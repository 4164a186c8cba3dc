"""Fail-closed checks around the reviews: commit attribution, carried state, command problems."""

from __future__ import annotations

import re

from kfm_bot.approvals.facts import PullFacts
from kfm_bot.approvals.roster import Roster
from kfm_bot.approvals.state import ApprovalState
from kfm_bot.approvals.timeline import Post
from kfm_bot.findings import Finding, error, warning

SHA = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")
UNAVAILABLE_MESSAGE = (
    "policies/stewards.yaml or policies/approvals.yaml is missing or invalid on the base branch, "
    "so no approval can count; fix the policy files on the base branch first"
)


def previous_of(facts: PullFacts, flags: list[Finding]) -> ApprovalState | None:
    prev = facts.previous_state
    if prev is not None and prev.pr != facts.number:
        message = f"the carried approvals state is for PR #{prev.pr}, not this one; ignored it"
        flags.append(warning("approvals.state-mismatch", message))
        return None
    return prev


def unattributed_of(facts: PullFacts) -> tuple[str, ...]:
    """A commit's sha for each of its author and committer not linked to an account; when the
    commits were not listed, those the head's own carried state recorded."""
    if not facts.commits_listed:
        carried = facts.previous_state
        return tuple(carried.unattributed or ()) if carried is not None else ()
    people = ((c.sha, p) for c in facts.commits for p in (c.author, c.committer))
    return tuple(sha for sha, person in people if person is None)


def contributors_of(facts: PullFacts, prev: ApprovalState | None, flags: list[Finding]) -> set[int]:
    """Ids of every author and committer of the PR's commits, now and in earlier runs."""
    ids = set(prev.contributors) if prev else set()
    for sha in unattributed_of(facts):
        message = (
            f"commit {sha[:12]} is not linked to a GitHub account, so no approval "
            "can count; re-commit it with an email linked to the author's account"
        )
        flags.append(error("approvals.unattributable-commit", message))
    for commit in facts.commits:
        ids.update(p.id for p in (commit.author, commit.committer) if p is not None and p.id > 0)
    return ids


def history_of(facts: PullFacts, prev: ApprovalState | None) -> list[str]:
    """Commits of the PR now, its head, then those seen before (a rebase drops them from the PR).
    Commits not listed: the carried history, which starts with this head's commits."""
    seen = list(prev.history) if prev else []
    if facts.commits_listed:
        shas = [c.sha for c in facts.commits] + [facts.head_sha] + seen
    else:
        shas = [*seen, facts.head_sha]
    return [s for s in dict.fromkeys(shas) if SHA.match(s)]


def command_flags(timeline: list[Post]) -> list[Finding]:
    found: list[Finding] = []
    for post in timeline:
        for p in post.problems:
            lookalike = p.kind == "lookalike"
            rule = "approvals.command-lookalike" if lookalike else "approvals.command-invalid"
            fix = "type it in plain ASCII" if lookalike else "fix the command"
            found.append(warning(rule, f"{post.source} line {p.line}: {p.detail}; not run, {fix}"))
    return found


def renamed_flags(timeline: list[Post], roster: Roster) -> list[Finding]:
    """A steward whose id matches but whose login changed still counts; the roster should follow."""
    found: dict[int, Finding] = {}
    for post in timeline:
        user = post.user
        steward = roster.by_id.get(user.id) if user else None
        if user is None or steward is None or steward.login.lower() == user.login.lower():
            continue
        message = (
            f"steward id {user.id} is listed as {steward.login} but now signs in as {user.login}; "
            "update policies/stewards.yaml"
        )
        found[user.id] = warning("approvals.login-renamed", message, "policies/stewards.yaml")
    return list(found.values())
