"""What to write instead, for YAML the parser refuses: syntax errors as located, fixable findings.

The parser's own words ("expected ',' or '}', but got ':'") say what it saw, not what the
author meant to write. Each refusal a person is likely to hit gets a sentence naming the fix;
anything else keeps the parser's words and points at the line.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kfm_bot.findings import Finding, error

if TYPE_CHECKING:
    from ruamel.yaml.error import MarkedYAMLError

_QUOTE = "quote the value (\"...\" or '...')"
_CLOSERS = {"flow mapping": "}", "flow sequence": "]"}
_FIXES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"expected ',' or '[}\]]', but got ':'"),
        "inside {...} or [...] a ': ' (colon, space) after a key's value starts another key;"
        f" {_QUOTE} that holds ': ', or separate the entries with ','",
    ),
    (
        re.compile(r"expected ',' or '[}\]]', but got '<stream end>'"),
        "<opener> is never closed; add '<closer>' (a ' #' starts a comment even inside"
        f" brackets: {_QUOTE} that holds ' #')",
    ),
    (
        re.compile(r"expected ',' or '[}\]]', but got"),
        f"separate the entries of <opener> with ',' and {_QUOTE} that holds ',', ': ', ' #'"
        " or a bracket",
    ),
    (
        re.compile(r"mapping values are not allowed"),
        f"a plain value cannot hold ': ' (colon, space); {_QUOTE}, or start the nested"
        " mapping on its own line, indented",
    ),
    (
        re.compile(r"expected the node content, but found '(.+)'"),
        "a value cannot start with '<1>' here; " + _QUOTE,
    ),
    (
        re.compile(r"found character '(.+)' that cannot start any token"),
        "'<1>' is reserved in YAML and cannot start a plain value; " + _QUOTE,
    ),
    (
        re.compile(r"expected <block end>, but found '([\]}])'"),
        "'<1>' closes a bracket that was never opened; delete it, or " + _QUOTE,
    ),
    (
        re.compile(r"expected <block end>, but found '<scalar>'"),
        f"text follows a complete value on the same line; {_QUOTE} as a whole",
    ),
    (
        re.compile(r"found unexpected end of stream"),
        "a quoted string is never closed; add the closing quote",
    ),
    (
        re.compile(r"could not find expected ':'"),
        "a key needs ': ' after it; add it, or indent the line to continue the value above",
    ),
)


def syntax_finding(exc: MarkedYAMLError, path: str, text: str | None) -> Finding:
    """The finding for a ruamel.yaml MarkedYAMLError: where it is and how to write it."""
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = " ".join(str(exc.problem or exc.context or "syntax error").split())
    if text is not None and _tab_indented(text, line):
        msg = "a tab is used for indentation; indent with spaces"
        return error("A.yaml-tab-indent", msg, path, line, col)
    fix = _fix(problem, exc)
    return error("A.yaml-syntax", f"YAML syntax error: {problem}; {fix}", path, line, col)


def _fix(problem: str, exc: MarkedYAMLError) -> str:
    for pattern, fix in _FIXES:
        match = pattern.search(problem)
        if match is not None:
            opener, closer = _opener(exc)
            found = match.group(1) if match.groups() else ""
            # replace(), not format(): the fixes themselves mention {...} and [...]
            return fix.replace("<1>", found).replace("<opener>", opener).replace("<closer>", closer)
    return "fix the line"


def _opener(exc: MarkedYAMLError) -> tuple[str, str]:
    """The bracket the parser was inside ("the '{' at 3:7"), from its context mark."""
    context = str(exc.context or "")
    for kind, closer in _CLOSERS.items():
        if kind in context:
            bracket = "{" if closer == "}" else "["
            mark = exc.context_mark
            where = f" at {mark.line + 1}:{mark.column + 1}" if mark is not None else ""
            return f"the '{bracket}'{where}", closer
    return "the bracket", "} or ]"


def _tab_indented(text: str, line: int) -> bool:
    lines = text.splitlines()
    if not 0 < line <= len(lines):
        return False
    row = lines[line - 1]
    return "\t" in row[: len(row) - len(row.lstrip(" \t"))]
