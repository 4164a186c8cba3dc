"""The Markdown rendering of a gate report: job summaries, check-run summaries, PR text."""

from __future__ import annotations

from kfm_bot.models.report import GateReport, ReportFinding
from kfm_bot.report.blocked import blocked, sentence
from kfm_bot.report.compared import compared
from kfm_bot.report.escape import markdown

STATUS_ICON = {"pass": "✅ pass", "fail": "❌ fail", "warn": "⚠️ warn", "skip": "⏭️ skip"}
CONCLUSION_TITLE = {
    "success": "All gates passed",
    "failure": "Gates failed",
    "neutral": "Nothing to check",
}


def gate_table(report: GateReport) -> str:
    lines = ["| gate | name | status | errors | warnings |", "|---|---|---|---:|---:|"]
    for g in report.gates:
        errors = sum(1 for f in g.findings if f.severity == "error")
        warnings = sum(1 for f in g.findings if f.severity == "warning")
        status = STATUS_ICON.get(g.status, g.status)
        lines.append(f"| {g.gate} | {markdown(g.name)} | {status} | {errors} | {warnings} |")
    return "\n".join(lines)


def where(f: ReportFinding) -> str:
    if not f.path:
        return ""
    loc = markdown(f.path)
    if f.line:
        loc += f":{f.line}"
        if f.column:
            loc += f":{f.column}"
    return f"`{loc}` "


def findings_list(report: GateReport, limit: int) -> str:
    lines: list[str] = []
    shown = 0
    total = sum(len(g.findings) for g in report.gates)
    for g in report.gates:
        for f in g.findings:
            if shown >= limit:
                break
            shown += 1
            rule, message = markdown(f.rule), markdown(f.message)
            lines.append(f"- **{f.severity}** `{rule}` {where(f)}— {message}")
    if total > shown:
        lines.append(f"- … and {total - shown} more (see the annotations or `kfm-bot check`)")
    return "\n".join(lines)


def render(report: GateReport, limit: int = 100, title: bool = True) -> str:
    parts: list[str] = []
    if title:
        parts.append(f"### kfm-bot gates: {CONCLUSION_TITLE[report.conclusion]}")
    said = compared(report, lambda text: f"`{markdown(text)}`")
    parts.append(said[0].upper() + said[1:] + ".")
    if report.datasets:
        ds = ", ".join(
            f"`{markdown(d.dataset_slug)}` ({(d.spec_hash or 'no spec_hash')[:19]}…)"
            for d in report.datasets
        )
        parts.append(f"Datasets checked: {ds}")
    parts.append(gate_table(report))
    stopped = [f"- ⛔ **blocked**: {markdown(sentence(*item))}" for item in blocked(report)]
    if stopped:
        parts.append("#### Blocked datasets\n" + "\n".join(stopped))
    body = findings_list(report, limit)
    if body:
        parts.append("#### Findings\n" + body)
    return "\n\n".join(parts) + "\n"
