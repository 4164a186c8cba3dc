"""Report formats behind one interface, in a name -> class registry.

Reporters are pure: the typed report in, text out. The job summary of the `github` format is
written by the caller, through `kfm_bot.github.summary.write_step_summary` (which redacts and
clips), so there is one writer of $GITHUB_STEP_SUMMARY.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import ClassVar

from kfm_bot.models.report import GateReport, ReportFinding
from kfm_bot.report import markdown as md
from kfm_bot.report import sarif
from kfm_bot.report.blocked import blocked, sentence
from kfm_bot.report.compared import compared
from kfm_bot.report.escape import command_data, command_property, log_line, valid_unicode
from kfm_bot.report.finding_lines import github_command, text_line


class Reporter:
    name: ClassVar[str]

    def render(self, report: GateReport) -> str:
        raise NotImplementedError


class TextReporter(Reporter):
    name = "text"

    def render(self, report: GateReport) -> str:
        lines = [log_line(compared(report))]
        for g in report.gates:
            lines.append(f"gate {g.gate} ({g.name}): {g.status}")
            lines.extend("  " + text_line(f) for f in g.findings)
        lines += [log_line("blocked: " + sentence(slug, srcs)) for slug, srcs in blocked(report)]
        lines.append(f"conclusion: {report.conclusion}")
        return "\n".join(lines) + "\n"


class JsonReporter(Reporter):
    name = "json"

    def render(self, report: GateReport) -> str:
        """The v1 JSON document, the one place the report becomes JSON. Fields never set are
        left out rather than written as null: the blocked fields of an unblocked dataset, and
        `base_ref`/`head_ref` until `check` names them."""
        data = report.model_dump(mode="json", exclude_unset=True)
        text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)
        return valid_unicode(text) + "\n"


class MarkdownReporter(Reporter):
    name = "markdown"

    def render(self, report: GateReport) -> str:
        return md.render(report)


class GithubReporter(Reporter):
    """Workflow commands for the log (the caller writes the Markdown job summary)."""

    name = "github"

    def render(self, report: GateReport) -> str:
        lines = []
        for g in report.gates:
            for f in g.findings:
                lines.append(self.command(g.gate, f))
        for slug, srcs in blocked(report):
            title = command_property("kfm-bot: dataset blocked")
            lines.append(f"::warning title={title}::{command_data(sentence(slug, srcs))}")
        lines.append(log_line(f"kfm-bot {compared(report)}"))
        lines.append(log_line(f"kfm-bot gates: {report.conclusion}"))
        return "\n".join(lines) + "\n"

    @staticmethod
    def command(gate: str, f: ReportFinding) -> str:
        return github_command(f, f"gate {gate}: {f.rule}")


class SarifReporter(Reporter):
    """SARIF 2.1.0 for code scanning (`report/sarif.py`). The rules' fix texts live with the
    gates, which this layer does not import: the command hands them in."""

    name = "sarif"

    def __init__(self, rule_help: Mapping[str, str] | None = None) -> None:
        self.rule_help = rule_help or {}

    def render(self, report: GateReport) -> str:
        findings = [f for g in report.gates for f in g.findings]
        return sarif.render(findings, self.rule_help)


REPORTERS: dict[str, type[Reporter]] = {
    cls.name: cls
    for cls in (TextReporter, JsonReporter, GithubReporter, MarkdownReporter, SarifReporter)
}
