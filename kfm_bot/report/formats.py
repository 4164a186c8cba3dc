"""Report formats behind one interface, in a name -> class registry.

Reporters are pure: the typed report in, text out. The job summary of the `github` format is
written by the caller, through `kfm_bot.github.summary.write_step_summary` (which redacts and
clips), so there is one writer of $GITHUB_STEP_SUMMARY.
"""

from __future__ import annotations

import json
from typing import ClassVar

from kfm_bot.models.report import GateReport, ReportFinding
from kfm_bot.report import markdown as md
from kfm_bot.report.blocked import blocked, sentence
from kfm_bot.report.compared import compared
from kfm_bot.report.escape import command_data, command_property, log_line

GITHUB_LEVEL = {"error": "error", "warning": "warning", "notice": "notice"}


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
            for f in g.findings:
                loc = md.where(f).strip(" `") if f.path else "-"
                lines.append(log_line(f"  {loc}: {f.severity}[{f.rule}] {f.message}"))
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
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


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
        props = [f"title={command_property(f'gate {gate}: ' + f.rule)}"]
        if f.path:
            props.insert(0, f"file={command_property(f.path)}")
            if f.line:
                props.insert(1, f"line={f.line}")
                if f.column:
                    props.insert(2, f"col={f.column}")
        level = GITHUB_LEVEL.get(f.severity, "notice")
        return f"::{level} {','.join(props)}::{command_data(f.message)}"


REPORTERS: dict[str, type[Reporter]] = {
    cls.name: cls for cls in (TextReporter, JsonReporter, GithubReporter, MarkdownReporter)
}
