"""One finding reads the same in `check`, `hash` and `action`'s log (report/finding_lines.py)."""

from __future__ import annotations

from kfm_bot.commands.hashing import _lines
from kfm_bot.findings import error
from kfm_bot.github.summary import log_findings
from kfm_bot.models.report import GateReport, GateResult, ReportFinding
from kfm_bot.report.formats import GithubReporter, TextReporter

# A PR-controlled message trying to forge a workflow command and a second line.
FINDING = error("A.yaml-tag", "a tag\n::error::forged", "specs/x/spec.yaml", 3, 5)
LINE = "specs/x/spec.yaml:3:5: error[A.yaml-tag] a tag :\u200b:error:\u200b:forged"


def _report() -> GateReport:
    found = ReportFinding(
        rule=FINDING.rule,
        severity="error",
        message=FINDING.message,
        path=FINDING.path,
        line=FINDING.line,
        column=FINDING.column,
    )
    gate = GateResult(gate="A", name="identity", status="fail", findings=[found])
    return GateReport(
        kfm_gate_report_version="v1",
        base="b" * 40,
        head="h" * 40,
        conclusion="failure",
        datasets=[],
        gates=[gate],
    )


def test_check_hash_and_the_action_log_print_the_same_line() -> None:
    logged: list[str] = []
    log_findings(logged.append, _report(), frozenset())
    assert logged == [LINE]
    assert "  " + LINE in TextReporter().render(_report()).splitlines()
    assert _lines([FINDING], "text") == LINE + "\n"


def test_check_and_hash_print_the_same_workflow_command() -> None:
    command = _lines([FINDING], "github").strip()
    assert (
        command
        == "::error file=specs/x/spec.yaml,line=3,col=5,title=A.yaml-tag::a tag%0A::error::forged"
    )
    # check titles it with the gate too; everything else is the same command
    checked = GithubReporter().render(_report()).splitlines()[0]
    assert checked == command.replace("title=A.yaml-tag", "title=gate A%3A A.yaml-tag")
