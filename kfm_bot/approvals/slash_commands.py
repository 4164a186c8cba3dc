"""Commands in review and comment bodies: `/kfm approve|revoke|hold|unhold|request`, exact ASCII.

`/kfm request` asks the bot to request reviews again from the stewards who could give what is
still missing (kfm_bot/approvals/review_requests.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kfm_bot.approvals.lookalike import looks_like_command
from kfm_bot.models.patterns import DATASET_SLUG, SOURCE_ID

MAX_BODY = 65_536
MAX_REASON = 200
VERBS = ("approve", "revoke", "hold", "unhold", "request")
_COMMAND = re.compile(r"^ {0,3}/kfm(?=[ \t]|$)(?:[ \t]+([^ \t]*))?(.*)$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_UNIT = re.compile(rf"^(?:{DATASET_SLUG}|source:{SOURCE_ID}|policies)$")


@dataclass(frozen=True, slots=True)
class Command:
    """One command: `verb` in VERBS; `args` the unit names of approve; `text` the hold reason."""

    verb: str
    line: int
    args: tuple[str, ...] = ()
    text: str = ""


@dataclass(frozen=True, slots=True)
class Problem:
    """Something that looked like a command but was not executed; `kind` is a stable code."""

    kind: str  # "lookalike" | "unknown-verb" | "bad-argument" | "no-argument"
    line: int
    detail: str


def _commandable(lines: list[str]) -> list[tuple[int, str]]:
    """Lines outside fenced code, indented code, quotes and HTML comments, 1-based."""
    out: list[tuple[int, str]] = []
    fence: str | None = None
    in_comment = False
    for number, line in enumerate(lines, 1):
        opened = _FENCE.match(line)
        if fence is not None:
            closing = (
                opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence)
            )
            if closing and not line.strip().strip(fence[0]):
                fence = None
            continue
        stripped = line.lstrip(" ")
        if in_comment:
            in_comment = "-->" not in line
        elif opened:
            fence = opened.group(1)
        elif stripped.startswith("<!--"):
            in_comment = "-->" not in stripped[4:]
        elif not (line.startswith(("\t", "    ")) or stripped.startswith(">")):
            out.append((number, line))
    return out


def _parse(number: int, verb: str, rest: str) -> Command | Problem:
    words = rest.split()
    if verb == "approve":
        bad = [w for w in words if not _UNIT.match(w)]
        if bad:
            return Problem("bad-argument", number, f"not a dataset name: {bad[0][:80]}")
        if not words:
            return Problem("no-argument", number, "/kfm approve names no dataset")
        return Command(verb, number, tuple(dict.fromkeys(words)))
    if verb == "hold":
        return Command(verb, number, text=" ".join(words)[:MAX_REASON])
    return Command(verb, number)


def parse_commands(body: str | None) -> tuple[list[Command], list[Problem]]:
    """Commands in a body, in order, and look-alikes or malformed commands (never executed)."""
    commands: list[Command] = []
    problems: list[Problem] = []
    text = (body or "")[:MAX_BODY].replace("\r\n", "\n").replace("\r", "\n")
    for number, line in _commandable(text.split("\n")):
        match = _COMMAND.match(line)
        verb = (match.group(1) or "") if match else ""
        if match is None or verb not in VERBS:
            if looks_like_command(line):
                problems.append(Problem("lookalike", number, "look-alike of a /kfm command"))
            elif match is not None:
                problems.append(Problem("unknown-verb", number, "unknown /kfm command"))
            continue
        found = _parse(number, verb, match.group(2))
        if isinstance(found, Command):
            commands.append(found)
        else:
            problems.append(found)
    return commands, problems
