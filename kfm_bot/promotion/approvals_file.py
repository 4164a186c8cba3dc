"""`promote --dry-run --approvals FILE`: the approvals a steward vouches for, read strictly.

The file is the seeds' generator input: a JSON list of `{role, principal, approved_at}`, each
entry exactly the manifest's approval shape. Bad input is a usage error (exit 2) that names the
file, the entry and its line, and the field; nothing in it is guessed or repaired.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kfm_bot.errors import UsageError
from kfm_bot.models.manifest import Approval
from kfm_bot.promotion.field_problems import problem_text
from kfm_bot.promotion.json_input import parse, read_text, unique_keys

MAX_BYTES = 1024 * 1024  # far beyond any roster: a larger file is a mistake
MAX_ENTRIES = 1000


@dataclass(frozen=True)
class FileApproval:
    role: str
    user_id: int
    login: str
    approved_at: str
    where: str  # "FILE: entry N (line L)", for messages


def load_approvals(path: Path) -> list[FileApproval]:
    shown = str(path)
    # The same strict reading as every other input of the promotion tools, the same messages.
    text = read_text(path, "approvals file", MAX_BYTES)
    data = parse(text, shown, "approvals file")
    if not isinstance(data, list):
        raise UsageError(
            f"{shown}:1: the approvals file must be a JSON list of "
            "{role, principal, approved_at} objects"
        )
    if len(data) > MAX_ENTRIES:
        raise UsageError(f"{shown}: more than {MAX_ENTRIES} approvals")
    lines = _element_lines(text)
    return [
        _entry(item, f"{shown}: entry {n} (line {lines[n - 1]})") for n, item in enumerate(data, 1)
    ]


def _entry(item: Any, where: str) -> FileApproval:
    if not isinstance(item, dict):
        raise UsageError(f"{where}: must be an object with role, principal and approved_at")
    try:
        approval = Approval.model_validate(item)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "entry"
        problem = problem_text(first)
        raise UsageError(f"{where}: `{field}`: {problem}") from None
    _, user_id, login = approval.principal.split(":", 2)
    return FileApproval(approval.role, int(user_id), login, approval.approved_at, where)


def _element_lines(text: str) -> list[int]:
    """The line each top-level element starts on (the text is known to be a valid JSON list)."""
    decoder = json.JSONDecoder(object_pairs_hook=unique_keys)
    lines: list[int] = []
    i = _skip(text, text.index("[") + 1)
    while i < len(text) and text[i] != "]":
        lines.append(text.count("\n", 0, i) + 1)
        _, end = decoder.raw_decode(text, i)
        i = _skip(text, end)
        if i < len(text) and text[i] == ",":
            i = _skip(text, i + 1)
    return lines


def _skip(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\r\n":
        i += 1
    return i
