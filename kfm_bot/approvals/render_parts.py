"""Pieces of the approvals summary; every PR-controlled string goes through `markdown()`."""

from __future__ import annotations

import re

from kfm_bot.approvals.result import ApprovalResult, UnitResult
from kfm_bot.redaction import PRECISE, REDACTED
from kfm_bot.report.escape import markdown

MAX_LINES = 50


def _masked(match: re.Match[str]) -> str:
    return "-" + REDACTED if match.group().startswith("-") else REDACTED


def mask_precise(text: str) -> str:
    """A number this precise may be an exact location from a restricted fixture: never echo it.
    Its sign stays, as it always has here (`-[redacted]`)."""
    return PRECISE.sub(_masked, text)


def safe(text: str, hidden: frozenset[str], limit: int = 300) -> str:
    """Escaped inline text with every protected value removed (checked again on the whole)."""
    for value in sorted(hidden, key=len, reverse=True):
        if value:
            text = text.replace(value, REDACTED)
    return markdown(mask_precise(text), limit)


def _roles(counts: dict[str, int]) -> str:
    shown = [f"{markdown(role)} ×{n}" for role, n in counts.items() if n]
    return ", ".join(shown) or "—"


def _approved(unit: UnitResult) -> str:
    shown = [f"{markdown(a.role)}: {markdown(a.login)} ({a.approved_at})" for a in unit.approvals]
    return "; ".join(shown) or "—"


def unit_table(result: ApprovalResult) -> str:
    lines = ["| unit | changes | required | approved by | missing |", "|---|---|---|---|---|"]
    for unit in result.units[:MAX_LINES]:
        mark = "✅" if unit.satisfied else "❌"
        classes = ", ".join(markdown(c) for c in unit.classes)
        lines.append(
            f"| {mark} `{markdown(unit.unit)}` | {classes} | {_roles(unit.required)} "
            f"| {_approved(unit)} | {_roles(unit.missing)} |"
        )
    if len(result.units) > MAX_LINES:
        lines.append(f"| … | {len(result.units) - MAX_LINES} more units | | | |")
    return "\n".join(lines)


def hold_lines(result: ApprovalResult, hidden: frozenset[str]) -> list[str]:
    return [
        f"- ⛔ held by {markdown(h.by_login)} ({h.source}, {markdown(h.at)}): "
        f"{safe(h.reason, hidden)}. A steward lifts it with `/kfm unhold`."
        for h in result.holds
    ]


def ignored_lines(result: ApprovalResult) -> list[str]:
    lines = []
    for item in result.ignored[:MAX_LINES]:
        unit = f" for `{markdown(item.unit)}`" if item.unit else ""
        lines.append(f"- {item.source} by {markdown(item.login)}{unit}: {markdown(item.detail)}")
    if len(result.ignored) > MAX_LINES:
        lines.append(f"- … and {len(result.ignored) - MAX_LINES} more")
    return lines


def flag_lines(result: ApprovalResult, hidden: frozenset[str]) -> list[str]:
    lines = [f"- **{f.severity}** `{f.rule}`: {safe(f.message, hidden)}" for f in result.flags]
    return lines[:MAX_LINES] + [f"- {safe(n, hidden)}" for n in result.notes[:10]]


def fit(text: str, limit: int, hidden: frozenset[str]) -> str:
    """Within GitHub's limit, and with no protected value left anywhere in it."""
    for value in sorted(hidden, key=len, reverse=True):
        if value:
            text = text.replace(value, REDACTED)
    if len(text) <= limit:
        return text
    note = "\n\n… (cut to fit GitHub's size limit)\n"
    return text[: limit - len(note)] + note


def steward_lines(result: ApprovalResult) -> list[str]:
    """Per missing role, the stewards who could give it (base roster; never the author or a
    committer) and whom the bot has asked."""
    plan = result.requests
    if plan is None:
        return []
    asked = {r.login.lower() for r in plan.requested} | {x.lower() for x in plan.to_request}
    lines = []
    for role, logins in plan.could_give.items():
        if not logins:
            lines.append(f"- **{markdown(role)}**: no steward on the base roster can give it")
            continue
        names = ", ".join(
            markdown(n) + (" (review requested)" if n.lower() in asked else "") for n in logins
        )
        lines.append(f"- **{markdown(role)}**: {names}")
    return lines[:MAX_LINES]
