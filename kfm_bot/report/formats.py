"""Report formats behind one interface, in a name -> class registry."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, ClassVar

from kfm_bot.report import markdown as md
from kfm_bot.report.blocked import blocked, sentence
from kfm_bot.report.compared import compared
from kfm_bot.report.escape import command_data, command_property, log_line

GITHUB_LEVEL = {"error": "error", "warning": "warning", "notice": "notice"}


class Reporter:
    name: ClassVar[str]

    def render(self, report: dict[str, Any]) -> str:
        raise NotImplementedError


class TextReporter(Reporter):
    name = "text"

    def render(self, report: dict[str, Any]) -> str:
        lines = [log_line(compared(report))]
        for g in report["gates"]:
            lines.append(f"gate {g['gate']} ({g['name']}): {g['status']}")
            for f in g["findings"]:
                loc = md.where(f).strip(" `") if f.get("path") else "-"
                lines.append(log_line(f"  {loc}: {f['severity']}[{f['rule']}] {f['message']}"))
        lines += [log_line("blocked: " + sentence(slug, srcs)) for slug, srcs in blocked(report)]
        lines.append(f"conclusion: {report['conclusion']}")
        return "\n".join(lines) + "\n"


class JsonReporter(Reporter):
    name = "json"

    def render(self, report: dict[str, Any]) -> str:
        return json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


class MarkdownReporter(Reporter):
    name = "markdown"

    def render(self, report: dict[str, Any]) -> str:
        return md.render(report)


class GithubReporter(Reporter):
    """Workflow commands for the log; the Markdown summary goes to $GITHUB_STEP_SUMMARY."""

    name = "github"

    def render(self, report: dict[str, Any]) -> str:
        lines = []
        for g in report["gates"]:
            for f in g["findings"]:
                lines.append(self.command(g["gate"], f))
        for slug, srcs in blocked(report):
            title = command_property("kfm-bot: dataset blocked")
            lines.append(f"::warning title={title}::{command_data(sentence(slug, srcs))}")
        lines.append(log_line(f"kfm-bot {compared(report)}"))
        lines.append(log_line(f"kfm-bot gates: {report['conclusion']}"))
        write_step_summary(md.render(report))
        return "\n".join(lines) + "\n"

    @staticmethod
    def command(gate: str, f: dict[str, Any]) -> str:
        props = [f"title={command_property(f'gate {gate}: ' + f['rule'])}"]
        if f.get("path"):
            props.insert(0, f"file={command_property(f['path'])}")
            if f.get("line"):
                props.insert(1, f"line={int(f['line'])}")
                if f.get("column"):
                    props.insert(2, f"col={int(f['column'])}")
        level = GITHUB_LEVEL.get(f["severity"], "notice")
        return f"::{level} {','.join(props)}::{command_data(f['message'])}"


def write_step_summary(text: str) -> None:
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if target:
        with Path(target).open("a", encoding="utf-8") as fh:
            fh.write(text)


REPORTERS: dict[str, type[Reporter]] = {
    cls.name: cls for cls in (TextReporter, JsonReporter, GithubReporter, MarkdownReporter)
}
