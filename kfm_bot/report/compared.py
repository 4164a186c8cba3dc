"""The sentence every report format opens with: which base and head were compared.

A verdict means nothing without what it is about: "success" on a base that is the branch
itself hides every error. Commit ids are given in full, with the ref names given or picked.
"""

from __future__ import annotations

from collections.abc import Callable

from kfm_bot.models.report import GateReport

WORKING_TREE = "working tree"


def compared(report: GateReport, quote: Callable[[str], str] = str) -> str:
    """`compared base <commit> (<ref>) with head <commit or working tree> (<ref>)`."""
    base, head = report.base, report.head or WORKING_TREE
    if base is None:
        base_text = "none (--all checks everything)"
    else:
        base_text = quote(base) + _named(report.base_ref, base, quote)
    head_ref = report.head_ref
    if head == WORKING_TREE and head_ref:
        head_text = f"{WORKING_TREE} (on branch {quote(head_ref)})"
    else:
        head_text = (head if head == WORKING_TREE else quote(head)) + _named(head_ref, head, quote)
    return f"compared base {base_text} with head {head_text}"


def _named(ref: str | None, commit: str, quote: Callable[[str], str]) -> str:
    return f" ({quote(ref)})" if ref and ref != commit else ""
