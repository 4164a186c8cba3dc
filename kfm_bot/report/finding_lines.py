"""One finding, one look: the line, the workflow command and the JSON object every command uses.

`check`, `validate`, `hash`, the ledger and `action`'s log all print findings; they all go
through here, so a finding reads the same wherever it is met:
`path:line:col: severity[rule] message`. Renderers take anything shaped like a finding: the
`kfm_bot.findings.Finding` the gates produce and its JSON form `models.report.ReportFinding`.

Kept light (no pydantic, no click): the `hash` command's error path imports it.
"""

from __future__ import annotations

from typing import Protocol

from kfm_bot.report.escape import command_data, command_property, log_line

GITHUB_LEVEL = {"error": "error", "warning": "warning", "notice": "notice"}


class FindingLike(Protocol):
    """What a renderer reads of a finding (both finding types have these attributes)."""

    @property
    def rule(self) -> str: ...
    @property
    def severity(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def path(self) -> str | None: ...
    @property
    def line(self) -> int | None: ...
    @property
    def column(self) -> int | None: ...


def location(f: FindingLike) -> str:
    """`path:line:col` as far as known; `-` for a finding about the repository as a whole."""
    if not f.path:
        return "-"
    where = f.path
    if f.line:
        where += f":{f.line}"
        if f.column:
            where += f":{f.column}"
    return where


def text_line(f: FindingLike) -> str:
    """The finding as one escaped log line (newlines and `::` from a PR cannot forge output)."""
    message = " ".join(f.message.split())
    return log_line(f"{location(f)}: {f.severity}[{f.rule}] {message}")


def github_command(f: FindingLike, title: str | None = None) -> str:
    """`::error file=…,line=…,col=…,title=…::message`: an annotation in the Actions log."""
    props = [f"title={command_property(title or f.rule)}"]
    if f.path:
        props.insert(0, f"file={command_property(f.path)}")
        if f.line:
            props.insert(1, f"line={f.line}")
            if f.column:
                props.insert(2, f"col={f.column}")
    level = GITHUB_LEVEL.get(str(f.severity), "notice")
    return f"::{level} {','.join(props)}::{command_data(f.message)}"


def as_json(f: FindingLike) -> dict[str, object]:
    """The gate report v1 finding object (`findings[]` of `--format json`)."""
    return {
        "rule": f.rule,
        "severity": str(f.severity),
        "message": f.message,
        "path": f.path,
        "line": f.line,
        "column": f.column,
    }
