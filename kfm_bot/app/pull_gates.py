"""Evaluate a pull request's gates, and show them: the gates check run, the log, the summary."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kfm_bot.app.bot_event import BotEvent
from kfm_bot.errors import EXIT_FAILED, EXIT_OK
from kfm_bot.github import check_runs
from kfm_bot.github.identity import forged_line, with_trust
from kfm_bot.github.interface import CheckRun, GitHubClient, Pull
from kfm_bot.github.summary import log_findings, write_step_summary

if TYPE_CHECKING:
    from kfm_bot.gates.evaluate import Evaluation
    from kfm_bot.models.report import GateReport

_SEVERITY = {"success": 0, "neutral": 1, "failure": 2}


@dataclass
class PullGates:
    pull: Pull
    evaluation: Evaluation
    protected: frozenset[str]

    @property
    def report(self) -> GateReport:
        return self.evaluation.report


def evaluate_pull(workspace: Path, pull: Pull, policies_at: str | None = None) -> PullGates:
    """Gates on what the PR changes (from the merge base), with the base's policies (and those
    of `policies_at` too, when given: the worse result counts)."""
    from kfm_bot.gates.evaluate import evaluate
    from kfm_bot.github.protect import protected_in
    from kfm_bot.github.pull_workspace import fetch_pull, merge_base

    fetch_pull(workspace, pull)
    base = merge_base(workspace, pull)
    evaluation = evaluate(workspace, base, pull.head_sha, policies_at=policies_at)
    return PullGates(pull, evaluation, protected_in(evaluation.ctx.head, evaluation.ctx.base))


def shown(event: BotEvent, client: GitHubClient, gates: PullGates) -> check_runs.CheckResult:
    """The gates check run: findings linked to the head commit's files, and the PROV lineage
    of each dataset checked."""
    from kfm_bot.repo.layout import spec_path
    from kfm_bot.report.lineage import prov_mermaid

    docs = gates.evaluation.ctx.docs
    lineage: dict[str, str] = {}
    uses: dict[str, list[str]] = {}
    for dataset in gates.report.datasets:
        slug = dataset.dataset_slug
        spec = docs.data(spec_path(slug)) or {}
        names = spec.get("sources")
        uses[slug] = [n for n in names if isinstance(n, str)] if isinstance(names, list) else []
        catalog = spec.get("catalog")
        prov = catalog.get("prov") if isinstance(catalog, dict) else None
        doc = docs.data(f"specs/{slug}/{prov}") if isinstance(prov, str) else None
        diagram = prov_mermaid(doc) if doc is not None else None
        if diagram is not None:
            lineage[slug] = diagram
    link = check_runs.blob_link(event.server_url, client.repo, gates.pull.head_sha)
    return check_runs.gates_result(gates.report, link, lineage, uses)


def worst(items: list[PullGates]) -> PullGates:
    """The PR whose gates concluded worst (failure over neutral over success)."""
    return max(items, key=lambda g: _SEVERITY[g.report.conclusion])


def report_gates(event: BotEvent, gates: PullGates) -> int:
    """Log and job summary, always; the check run too when posting."""
    from kfm_bot.report.markdown import render

    log_findings(event.log, gates.report, gates.protected)
    text = render(gates.report)
    if event.post:  # the posting run says whose verdict this is (the printing run posts none)
        client = event.client()
        text = with_trust(text, client.identity, client.forged_runs())
        for run in client.forged_runs():
            event.log(forged_line(run, client.identity))
    # The blank line after it parts it from whatever a later step appends.
    write_step_summary(event.step_summary, text + "\n", gates.protected)
    event.log(f"kfm-bot: gates {gates.report.conclusion} on {gates.pull.head_sha[:12]}")
    return EXIT_FAILED if gates.report.conclusion == "failure" else EXIT_OK


def check_pull(event: BotEvent, pull: Pull) -> int:
    """A pull request event: the gates, their check run on the head when posting, and the log."""
    gates = evaluate_pull(event.workspace, pull)
    if event.post:
        client = event.client()
        sha = gates.pull.head_sha
        existing = check_runs.settle(client, client.list_check_runs(sha), check_runs.GATES_CHECK)
        result = shown(event, client, gates)
        result.summary = with_trust(result.summary, client.identity, client.forged_runs())
        posted = existing.annotations_count if existing else 0
        check_runs.finish(client, sha, result, existing, gates.protected, posted)
    return report_gates(event, gates)


def check_head(
    event: BotEvent,
    client: GitHubClient,
    pulls: list[Pull],
    runs: list[CheckRun],
    policies_at: str | None = None,
) -> int:
    """The privileged run: one gates check run on a head commit, the worst of its open PRs.

    The run is posted once, finished (no "in progress" update first: one request saved per
    event); a re-run updates the run the previous one left.
    """
    sha = pulls[0].head_sha
    if event.post:
        existing = check_runs.settle(client, runs, check_runs.GATES_CHECK)
    else:
        existing = check_runs.find_run(runs, check_runs.GATES_CHECK)
    gates = worst([evaluate_pull(event.workspace, p, policies_at) for p in pulls])
    if event.post:
        result = shown(event, client, gates)
        if len(pulls) > 1:
            result.summary = (
                f"Worst of {len(pulls)} open pull requests: #{gates.pull.number}\n\n"
                + result.summary
            )
        result.summary = with_trust(result.summary, client.identity, client.forged_runs())
        posted = existing.annotations_count if existing else 0
        check_runs.finish(client, sha, result, existing, gates.protected, posted)
    return report_gates(event, gates)
