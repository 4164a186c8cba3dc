"""The output formats of the commands that print findings, and the rule texts SARIF carries.

`report/` renders; it cannot import the gates (a sibling in the domain layer), so the fix text
of every rule (`gates/rule_catalog.py`) is handed to the SARIF renderer from here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kfm_bot.models.report import GateReport

REPORT_FORMATS = ("text", "json", "github", "markdown", "sarif")
FORMAT_HELP = (
    "text: lines for a terminal; json: the gate report v1; github: workflow commands (annotations)"
    " and the Markdown job summary; markdown: the summary alone; sarif: SARIF 2.1.0 for code"
    " scanning."
)


def rule_help() -> dict[str, str]:
    """Rule id -> its fix text, for every rule the gates and the strict loader can report."""
    from kfm_bot.gates.rule_catalog import all_rules

    return {rule.rule: rule.text for rule in all_rules()}


def render_report(fmt: str, report: GateReport) -> str:
    from kfm_bot.report.formats import REPORTERS, SarifReporter

    if fmt == "sarif":
        return SarifReporter(rule_help()).render(report)
    return REPORTERS[fmt]().render(report)
