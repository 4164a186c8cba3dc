"""The approvals verdict (DESIGN.md section 6): base roster and rules, content-bound reviews."""

from __future__ import annotations

from collections.abc import Mapping

from kfm_bot.approvals.facts import PullFacts
from kfm_bot.approvals.grants import Context, DigestAt, collect
from kfm_bot.approvals.holds import Outsiders, active_holds
from kfm_bot.approvals.result import ApprovalResult
from kfm_bot.approvals.review_requests import carried_requests, plan_requests
from kfm_bot.approvals.roster import roster_from
from kfm_bot.approvals.safeguards import (
    SHA,
    UNAVAILABLE_MESSAGE,
    command_flags,
    contributors_of,
    history_of,
    previous_of,
    renamed_flags,
    unattributed_of,
)
from kfm_bot.approvals.state import MAX_CONTRIBUTORS, MAX_HISTORY, ApprovalState, Cutoff
from kfm_bot.approvals.state_merge import merge, records
from kfm_bot.approvals.timeline import cutoffs, posts
from kfm_bot.approvals.units import UnitChange
from kfm_bot.approvals.verdict import conclusion, unit_result
from kfm_bot.findings import Finding, error, warning
from kfm_bot.policy.policyset import PolicySet


def evaluate_approvals(
    policies: PolicySet,
    units: Mapping[str, UnitChange],
    head_digests: Mapping[str, str],
    digest_at: DigestAt,
    facts: PullFacts,
) -> ApprovalResult:
    """Decide which units the PR's reviews approve; pure: no git, no GitHub.

    `policies` are the BASE commit's; `units` come from `classify_changes`; `head_digests` and
    `digest_at(sha)` from `unit_digests` (None when the commit cannot be read).
    """
    flags: list[Finding] = []
    roster = roster_from(policies.stewards)
    notes: list[str] = []
    kept = records(facts.comments, roster.bots, facts.number, notes, facts.seal)
    flags.extend(warning("approvals.state-record-ignored", n) for n in notes)
    carried = [previous_of(facts, flags), *(r.state for r in kept)]
    previous = merge(facts.number, facts.head_sha, carried)
    contributors = contributors_of(facts, previous, flags)
    if policies.stewards is None or policies.approvals is None:
        flags.append(error("approvals.policy-unavailable", UNAVAILABLE_MESSAGE))
    timeline = posts(facts)
    flags.extend(command_flags(timeline))
    flags.extend(renamed_flags(timeline, roster))
    history = history_of(facts, previous)
    cut = cutoffs(timeline, previous.cutoffs if previous else ())
    ctx = Context(facts, roster, frozenset(contributors), frozenset(history), digest_at, cut)
    grants, ignored = collect(timeline, ctx)
    scarcity = roster.role_counts()
    results = [
        unit_result(
            units[name], policies.approvals, grants, head_digests.get(name), ignored, scarcity
        )
        for name in sorted(units)
    ]
    outsiders = Outsiders(facts.author.id, frozenset(contributors))
    per_role = policies.approvals.review_requests_per_role if policies.approvals else 0
    plan = plan_requests(
        results,
        roster,
        frozenset({facts.author.id, *contributors}),
        facts,
        timeline,
        carried_requests(carried),
        per_role,
    )
    holds, hold_notes = active_holds(
        timeline, previous.holds if previous else (), roster, outsiders
    )
    state = ApprovalState(
        pr=facts.number,
        head_sha=facts.head_sha,
        holds=tuple(holds),
        history=tuple(history[:MAX_HISTORY]),
        contributors=tuple(sorted(contributors))[:MAX_CONTRIBUTORS],
        cutoffs=tuple(Cutoff(by_id=i, at=c[1]) for i, c in sorted(cut.items()) if i > 0)[
            :MAX_CONTRIBUTORS
        ],
        requested=plan.requested[-MAX_CONTRIBUTORS:],
        base_sha=facts.base_sha if SHA.match(facts.base_sha) else None,
        unattributed=unattributed_of(facts)[:MAX_HISTORY],
    )
    return ApprovalResult(
        pr=facts.number,
        head_sha=facts.head_sha,
        units=tuple(results),
        ignored=tuple(ignored + hold_notes),
        holds=tuple(holds),
        flags=tuple(flags),
        conclusion=conclusion(results, holds, flags),
        state=state,
        record_id=kept[0].comment_id if kept else None,
        record_state=kept[0].state if kept else None,
        record_bots=roster.bots,
        requests=plan,
    )
