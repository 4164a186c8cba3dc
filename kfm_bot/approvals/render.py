"""The approvals check run as GitHub shows it: title, Markdown summary, and the carried state."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kfm_bot.approvals.check_run_state import parse_state, state_block
from kfm_bot.approvals.diff_render import render_markdown
from kfm_bot.approvals.render_parts import (
    fit,
    flag_lines,
    hold_lines,
    ignored_lines,
    steward_lines,
    unit_table,
)
from kfm_bot.approvals.result import ApprovalResult, Conclusion
from kfm_bot.approvals.state_seal import StateSeal

__all__ = ["ApprovalsCheck", "parse_state", "render_check", "render_summary"]

MAX_OUTPUT = 65_535  # GitHub's limit for a check run's summary and for its text
_RANK: dict[Conclusion, int] = {"success": 0, "action_required": 1, "failure": 2}
TITLES: dict[Conclusion, str] = {
    "success": "Steward approvals complete",
    "action_required": "Steward approvals missing",
    "failure": "Approvals check failed closed",
}


@dataclass(frozen=True)
class ApprovalsCheck:
    """What to post as the "kfm-bot / approvals" check run on the head commit (the GitHub
    adapter turns it into its `CheckResult`, whose `CheckOutput` is the API's output object)."""

    title: str
    summary: str
    text: str
    conclusion: Conclusion


def _title(result: ApprovalResult) -> str:
    if not result.units and result.conclusion == "success":
        return "No steward approvals needed"
    if result.holds:
        return "Merge blocked by a steward hold"
    return TITLES[result.conclusion]


def render_summary(result: ApprovalResult, protected: Iterable[str] = ()) -> str:
    """Markdown for one PR: who approved what, what is missing, holds, ignored reviews, notes."""
    hidden = frozenset(protected)
    parts = [f"### kfm-bot approvals for PR #{result.pr}: {_title(result)}"]
    parts.append(f"Head commit `{result.head_sha[:12]}`. Roster and requirements: base branch.")
    if result.units:
        parts.append(render_markdown(result.diff).rstrip("\n"))
        parts.append("#### Approvals")
    parts.append(unit_table(result) if result.units else "This PR changes no governed content.")
    for heading, lines in (
        ("Holds", hold_lines(result, hidden)),
        ("Who can give what is missing", steward_lines(result)),
        ("Reviews that do not count", ignored_lines(result)),
        ("Notes", flag_lines(result, hidden)),
    ):
        if lines:
            parts.append(f"#### {heading}\n" + "\n".join(lines))
    return "\n\n".join(parts) + "\n"


def render_check(
    results: Sequence[ApprovalResult],
    protected: Iterable[str] = (),
    seal: StateSeal | None = None,
) -> ApprovalsCheck:
    """One check run for every PR whose head is this commit; the worst conclusion wins.

    `summary` is the Markdown a person reads; `text` carries each PR's state block, which
    `parse_state(text, pr)` reads back on the next run.
    """
    if not results:
        raise ValueError("render_check needs at least one result")
    hidden = frozenset(protected)
    worst = max(results, key=lambda r: _RANK[r.conclusion])
    summaries = [render_summary(r, hidden) for r in results]
    summary = fit("\n---\n\n".join(summaries), MAX_OUTPUT, hidden)
    blocks = [state_block(r.state, seal) for r in results]
    text = "\n".join(["Approvals state (read by kfm-bot on its next run):", *blocks])
    title = _title(worst) if len(results) == 1 else f"{_title(worst)} ({len(results)} PRs)"
    return ApprovalsCheck(title, summary, text[:MAX_OUTPUT], worst.conclusion)
