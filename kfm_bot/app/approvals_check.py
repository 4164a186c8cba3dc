"""Recompute a pull request's approvals and show them: state record, check run, log, summary."""

from __future__ import annotations

from collections.abc import Sequence

from kfm_bot.app import pull_approvals
from kfm_bot.app.bot_event import BotEvent
from kfm_bot.github import check_runs
from kfm_bot.github.identity import forged_line, with_trust
from kfm_bot.github.interface import CheckRun, GitHubClient, Pull, PullSnapshot
from kfm_bot.github.protect import protected_values
from kfm_bot.github.summary import write_step_summary


def has_command(body: str) -> bool:
    """True when a line holds a command or something made to look like one (flagged later)."""
    from kfm_bot.approvals.slash_commands import parse_commands

    commands, problems = parse_commands(body)
    return bool(commands or problems)


def changes_state(review: object) -> bool:
    """Whether a review can add to the carried state: a command in it, or changes requested."""
    if not isinstance(review, dict):
        return True
    state = str(review.get("state") or "").upper()
    return state == "CHANGES_REQUESTED" or has_command(str(review.get("body") or ""))


def check_pull(event: BotEvent, pull: Pull, with_comments: bool, review: object = None) -> None:
    """A review or a steward command: the approvals check run of one pull request.

    One read, the head's snapshot (`GitHubClient.head_snapshot`): its check runs (the carried
    state), the PR's reviews, commits and comments (steward commands and the state record,
    which is then brought up to date), read at once just before the evaluation."""
    client = event.client()
    snapshot = client.head_snapshot(pull.head_sha)
    runs = list(snapshot.runs)
    read = snapshot.of(pull.number)
    if read is None and not with_comments:
        # The head moved on since the event: list what this head needs. The privileged run
        # posts an approvals run on every new head, so the carried state is normally right
        # there. The comments, and with them the PR's state record, are read when the head
        # carries no state (a force-push no run has seen yet) or when the review itself can
        # add to the state.
        carried = pull_approvals.previous_state(runs, pull.number, event.state_seal)
        with_comments = carried is None or changes_state(review)
    item = pull_approvals.evaluate(
        client,
        event.workspace,
        pull,
        runs,
        with_comments or read is not None,
        lookups=1,
        seal=event.state_seal,
        read=read,
    )
    publish(event, [item], runs)


def check_head(
    event: BotEvent,
    client: GitHubClient,
    pulls: list[Pull],
    runs: list[CheckRun],
    keep_record: bool = True,
    reads: Sequence[PullSnapshot] = (),
) -> None:
    """The privileged run: one approvals check run on a head commit, for each of its open PRs.

    `keep_record=False`: the state record comment is read, never written (a run that may only
    read pull requests, like the policy re-evaluation after a push). `reads`: the PRs' reviews,
    commits and comments from the head's snapshot (a PR without one lists them)."""
    seal = event.state_seal
    read = {r.pull.number: r for r in reads}
    items = [
        pull_approvals.evaluate(
            client, event.workspace, p, runs, True, seal=seal, read=read.get(p.number)
        )
        for p in pulls
    ]
    publish(event, items, runs, keep_record)


def request_reviews(client: GitHubClient, item: pull_approvals.PullApprovals) -> str | None:
    """One request asking the stewards the plan names; None when nobody is to be asked."""
    plan = item.result.requests
    if plan is None or not plan.to_request:
        return None
    client.request_reviewers(item.pull.number, list(plan.to_request))
    names = ", ".join(plan.to_request)
    return f"kfm-bot: asked {names} to review #{item.pull.number}"


def publish(
    event: BotEvent,
    items: list[pull_approvals.PullApprovals],
    runs: list[CheckRun],
    keep_record: bool = True,
) -> None:
    """Keep each PR's state record, then post the approvals run (one request), and show it in
    the log and the job summary."""
    from kfm_bot.git.gitdir import GitDir
    from kfm_bot.github.state_comment import save_record
    from kfm_bot.repo.snapshot import CommitSnapshot

    head = items[0].pull.head_sha
    protected = protected_values(CommitSnapshot(GitDir(event.workspace), head))
    seal = event.state_seal
    result = pull_approvals.check_result(items, protected, seal)
    client = event.client()
    forged = client.forged_runs()
    result.summary = with_trust(result.summary, client.identity, forged, seal is not None)
    for run in forged:
        event.log(forged_line(run, client.identity))
    if event.post:
        for item in items:  # reviews asked before the state that remembers them is shown
            said = request_reviews(event.client(), item)
            if said:
                event.log(said)
        for item in items:  # the record first: the state is durable before it is shown
            if item.comments is not None and keep_record:
                said = save_record(event.client(), item.pull, item.comments, item.result, seal)
                if said:
                    event.log(said)
        existing = check_runs.settle(event.client(), runs, check_runs.APPROVALS_CHECK)
        check_runs.finish(event.client(), head, result, existing, protected)
    write_step_summary(event.step_summary, result.summary + "\n", protected)
    numbers = ", ".join(f"#{i.pull.number}" for i in items)
    event.log(f"kfm-bot: approvals {result.conclusion} on {head[:12]} ({numbers})")
