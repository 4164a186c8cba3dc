"""The Markdown rendering of a gate report: job summaries, check-run summaries, PR text."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from kfm_bot.models.report import GateReport, ReportDataset, ReportFinding
from kfm_bot.report.blocked import blocked, sentence
from kfm_bot.report.compared import compared
from kfm_bot.report.escape import markdown

STATUS_ICON = {"pass": "✅ pass", "fail": "❌ fail", "warn": "⚠️ warn", "skip": "⏭️ skip"}
CONCLUSION_TITLE = {
    "success": "All gates passed",
    "failure": "Gates failed",
    "neutral": "Nothing to check",
}


# A finding's file and line as a link target (the file at the head commit on GitHub).
Link = Callable[[str, int | None], str]


def passing_line(report: GateReport) -> str:
    """Every passing gate in one line: a reader looks only at the ones that did not pass."""
    passed = [f"{g.gate} {markdown(g.name)}" for g in report.gates if g.status == "pass"]
    if not passed:
        return ""
    every = len(passed) == len(report.gates)
    return ("✅ All gates passed: " if every else "✅ Passed: ") + " · ".join(passed)


def gate_table(report: GateReport, only_open: bool = False) -> str:
    """The gates as a table; `only_open`: only those that did not pass (empty when none)."""
    gates = [g for g in report.gates if not only_open or g.status != "pass"]
    if not gates:
        return ""
    lines = ["| gate | name | status | errors | warnings |", "|---|---|---|---:|---:|"]
    for g in gates:
        errors = sum(1 for f in g.findings if f.severity == "error")
        warnings = sum(1 for f in g.findings if f.severity == "warning")
        status = STATUS_ICON.get(g.status, g.status)
        lines.append(f"| {g.gate} | {markdown(g.name)} | {status} | {errors} | {warnings} |")
    return "\n".join(lines)


def where(f: ReportFinding, link: Link | None = None) -> str:
    if not f.path:
        return ""
    loc = markdown(f.path)
    if f.line:
        loc += f":{f.line}"
        if f.column:
            loc += f":{f.column}"
    if link is not None:
        return f"[`{loc}`]({link(f.path, f.line)}) "
    return f"`{loc}` "


def findings_list(report: GateReport, limit: int, link: Link | None = None) -> str:
    lines: list[str] = []
    shown = 0
    total = sum(len(g.findings) for g in report.gates)
    for g in report.gates:
        for f in g.findings:
            if shown >= limit:
                break
            shown += 1
            rule, message = markdown(f.rule), markdown(f.message)
            lines.append(f"- **{f.severity}** `{rule}` {where(f, link)}— {message}")
    if total > shown:
        lines.append(f"- … and {total - shown} more (see the annotations or `kfm-bot check`)")
    return "\n".join(lines)


def _dataset_status(report: GateReport, d: ReportDataset, sources: Iterable[str]) -> str:
    if d.status == "blocked":
        return "⛔ blocked"
    mine = (f"specs/{d.dataset_slug}/", *(f"registry/sources/{s}.yaml" for s in sources))
    found = [f for g in report.gates for f in g.findings if (f.path or "").startswith(mine)]
    errors = sum(1 for f in found if f.severity == "error")
    if errors:
        return f"❌ {errors} error{'s' * (errors != 1)}"
    return "⚠️ warnings" if found else "✅ passes"


def dataset_table(report: GateReport, uses: Mapping[str, Iterable[str]] | None = None) -> str:
    """Each dataset checked, with its own status (findings in its folder or on the sources
    `uses` says it reads) and spec_hash."""
    lines = ["| dataset | status | spec_hash |", "|---|---|---|"]
    for d in report.datasets[:100]:
        digest = f"`{(d.spec_hash or 'none')[:19]}…`" if d.spec_hash else "—"
        status = _dataset_status(report, d, (uses or {}).get(d.dataset_slug, ()))
        lines.append(f"| `{markdown(d.dataset_slug)}` | {status} | {digest} |")
    return "\n".join(lines)


def lineage_sections(lineage: Mapping[str, str]) -> list[str]:
    """One collapsed Mermaid lineage diagram per changed dataset (the diagrams are made safe by
    kfm_bot/report/lineage.py; the fence is longer than any backtick run they can hold)."""
    return [
        f"<details><summary>Lineage of <code>{markdown(slug)}</code> (PROV)</summary>\n\n"
        f"```mermaid\n{diagram}\n```\n\n</details>"
        for slug, diagram in sorted(lineage.items())[:20]
    ]


def render(
    report: GateReport,
    limit: int = 100,
    title: bool = True,
    link: Link | None = None,
    lineage: Mapping[str, str] | None = None,
    uses: Mapping[str, Iterable[str]] | None = None,
) -> str:
    """`link` and `lineage` are for check runs: findings linked to the head commit's files,
    and the PROV lineage of each changed dataset."""
    parts: list[str] = []
    if title:
        parts.append(f"### kfm-bot gates: {CONCLUSION_TITLE[report.conclusion]}")
    said = compared(report, lambda text: f"`{markdown(text)}`")
    parts.append(said[0].upper() + said[1:] + ".")
    passing = passing_line(report)
    if passing:
        parts.append(passing)
    table = gate_table(report, only_open=True)
    if table:
        parts.append(table)
    if report.datasets:
        parts.append("#### Datasets\n" + dataset_table(report, uses))
    stopped = [f"- ⛔ **blocked**: {markdown(sentence(*item))}" for item in blocked(report)]
    if stopped:
        parts.append("#### Blocked datasets\n" + "\n".join(stopped))
    body = findings_list(report, limit, link)
    if body:
        parts.append("#### Findings\n" + body)
    parts.extend(lineage_sections(lineage or {}))
    return "\n\n".join(parts) + "\n"
