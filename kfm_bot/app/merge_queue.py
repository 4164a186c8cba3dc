"""`merge_group`: the gates on the queue's merge commit, and every queued PR's approvals
re-checked against what that commit lands (DESIGN section 8). Never a blanket success.

The group passes only when the gates pass on base..merge commit, every member PR's approvals
conclude success, the content each approval is bound to (review digests, kfm_bot/approvals/
digest.py) is exactly what the merge commit holds, no unit changes in the group that no member
approved, and no two members give one dataset different content. Both check runs are posted
on the merge commit, where the queue's required checks look for them.

The carried approvals state is read as every other path reads it (`pull_approvals.evaluate`:
only the bot's own App's runs, and with KFM_STATE_KEY only states whose seal holds); a state
that was not the bot's is ignored and named in the approvals run, and every run of another App
under the bot's names (on a member's head or on the merge commit) opens both runs, as in the
privileged run (github/identity.py).

Requests: the merge commit's check runs and one list of open PRs, then per member the reads a
review event makes (its head's check runs, reviews, commits, comments), then two posts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kfm_bot.app import pull_approvals
from kfm_bot.app.bot_event import BotEvent
from kfm_bot.app.queue_group import Entry, Group, Landing, conflicts, landing, members
from kfm_bot.errors import EXIT_FAILED, EXIT_OK
from kfm_bot.github import check_runs
from kfm_bot.github.identity import forged_line, with_trust
from kfm_bot.github.interface import Pull
from kfm_bot.report.escape import markdown


@dataclass
class Verdict:
    """What the approvals check run on the merge commit says."""

    members: list[Entry]
    landings: list[Landing] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # Carried states that were not the bot's (ignored): shown, they never fail the group, or
    # any workflow could hold the queue up.
    notes: list[str] = field(default_factory=list)

    @property
    def conclusion(self) -> str:
        return "failure" if self.problems or not self.members else "success"


def _short(value: str | None) -> str:
    return value[:12] if value else "none"


def _check_members(
    event: BotEvent, group: Group, entries: list[Entry], pulls: dict[int, Pull]
) -> Verdict:
    client = event.client()
    verdict = Verdict(entries)
    for entry in entries:
        pull = pulls.get(entry.number)
        if pull is None:
            verdict.problems.append(f"#{entry.number} is queued but is not an open pull request")
            continue
        if pull.head_sha != entry.sha or pull.base_ref != group.base_ref:
            verdict.problems.append(
                f"#{entry.number} changed since it was queued (head {_short(pull.head_sha)},"
                f" queued {_short(entry.sha)})"
            )
            continue
        # one read: the head's check runs (the carried state), reviews, commits, comments
        snapshot = client.head_snapshot(pull.head_sha)
        item = pull_approvals.evaluate(
            client,
            event.workspace,
            pull,
            list(snapshot.runs),
            True,
            seal=event.state_seal,
            read=snapshot.of(pull.number),
        )
        verdict.notes += [
            f"#{entry.number}: {flag.message}"
            for flag in item.result.flags
            if flag.rule == pull_approvals.STATE_FORGED
        ]
        if item.result.conclusion != "success":
            verdict.problems.append(
                f"#{entry.number}: its approvals are not complete ({item.result.conclusion})"
            )
        found = landing(event.workspace, group, item.result)
        verdict.landings.append(found)
        for unit in found.drifted:
            verdict.problems.append(
                f"#{entry.number}: the approved content of {markdown(unit, 200)} is not what"
                " lands (its review digest differs in the merge commit)"
            )
    return verdict


def _check_group(event: BotEvent, group: Group, verdict: Verdict) -> None:
    from kfm_bot.app.queue_group import group_units

    approved = {u for found in verdict.landings for u in found.at_head}
    for unit in sorted(group_units(event.workspace, group) - approved):
        verdict.problems.append(
            f"{markdown(unit, 200)} changes in the merge commit, but no queued pull request's"
            " approvals cover it"
        )
    for slug, a, b, hash_a, hash_b in conflicts(verdict.landings):
        verdict.problems.append(
            f"#{a} and #{b} would promote conflicting versions of {markdown(slug, 200)}"
            f" (spec_hash {_short(hash_a)} and {_short(hash_b)})"
        )


def render(group: Group, verdict: Verdict) -> check_runs.CheckResult:
    numbers = ", ".join(f"#{e.number}" for e in verdict.members) or "none"
    lines = [
        f"Merge group {group.head_sha[:12]} onto {markdown(group.base_ref, 200)}: {numbers}",
        "",
    ]
    if not verdict.members:
        lines.append("- no queued pull request could be found in this group: nothing is approved")
    lines += [f"- {p}" for p in verdict.problems]
    lines += [f"- {markdown(note, 500)}" for note in verdict.notes]
    for found in verdict.landings:
        units = ", ".join(markdown(u, 200) for u in sorted(found.at_head)) or "no governed content"
        lines.append(f"- #{found.number}: approvals {found.result.conclusion} for {units}")
    if verdict.conclusion == "success":
        title = f"Every queued pull request's approvals cover what lands ({numbers})"
    else:
        title = f"The merge group is not approved: {len(verdict.problems) or 1} problem(s)"
    return check_runs.CheckResult(
        check_runs.APPROVALS_CHECK, verdict.conclusion, title, "\n".join(lines) + "\n"
    )


def check_group(event: BotEvent, group: Group) -> int:
    """Evaluate and post both check runs on the merge commit; 1 when either fails."""
    from kfm_bot.gates.evaluate import evaluate
    from kfm_bot.git.gitdir import GitDir
    from kfm_bot.github.protect import protected_in, protected_values
    from kfm_bot.github.pull_workspace import fetch_queue, has_commit
    from kfm_bot.github.summary import log_findings, write_step_summary
    from kfm_bot.repo.snapshot import CommitSnapshot
    from kfm_bot.report.markdown import render as render_gates

    client = event.client()
    queue_refs = fetch_queue(event.workspace, group.base_ref, group.head_ref)
    if not has_commit(event.workspace, group.head_sha):
        from kfm_bot.errors import UsageError

        raise UsageError(f"the merge group's commit {group.head_sha[:12]} cannot be fetched")
    runs = client.list_check_runs(group.head_sha)
    entries = members(event.workspace, group, queue_refs)
    verdict = Verdict(entries)
    if entries:
        pulls = {p.number: p for p in client.list_open_pulls()}
        verdict = _check_members(event, group, entries, pulls)
        _check_group(event, group, verdict)
    evaluation = evaluate(event.workspace, group.base_sha, group.head_sha)
    report = evaluation.report
    protected = protected_in(evaluation.ctx.head, evaluation.ctx.base) | protected_values(
        CommitSnapshot(GitDir(event.workspace), group.head_sha)
    )
    approvals = render(group, verdict)
    forged = client.forged_runs()  # after every listing: the merge commit's and each head's
    approvals.summary = with_trust(
        approvals.summary, client.identity, forged, event.state_seal is not None
    )
    for run in forged:
        event.log(forged_line(run, client.identity))
    if event.post:
        gates_run = check_runs.settle(client, runs, check_runs.GATES_CHECK)
        posted = gates_run.annotations_count if gates_run else 0
        gates_result = check_runs.gates_result(report)
        gates_result.summary = with_trust(gates_result.summary, client.identity, forged)
        check_runs.finish(client, group.head_sha, gates_result, gates_run, protected, posted)
        existing = check_runs.settle(client, runs, check_runs.APPROVALS_CHECK)
        check_runs.finish(client, group.head_sha, approvals, existing, protected)
    log_findings(event.log, report, protected)
    write_step_summary(
        event.step_summary, render_gates(report) + "\n" + approvals.summary + "\n", protected
    )
    event.log(
        f"kfm-bot: merge group {group.head_sha[:12]}: gates {report.conclusion},"
        f" approvals {approvals.conclusion}"
    )
    for problem in verdict.problems + verdict.notes:
        event.log(f"kfm-bot: {problem}")
    failed = report.conclusion == "failure" or approvals.conclusion == "failure"
    return EXIT_FAILED if failed else EXIT_OK
