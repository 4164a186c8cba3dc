"""The semantic diff as text (a terminal), JSON (tools) and Markdown (the approvals check run)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from kfm_bot.approvals.semantic_diff import UnitDiff
from kfm_bot.report.escape import markdown

MAX_UNITS = 50
_BADGE = {"high": "🔴 high", "medium": "🟠 medium", "low": "🟢 low"}


def _roles(roles: dict[str, int]) -> str:
    return ", ".join(f"{role} ×{n}" for role, n in sorted(roles.items()) if n) or "none"


def _label(unit: UnitDiff) -> str:
    return {"dataset": "dataset", "source": "source", "policies": "policies"}[unit.kind]


def render_text(diffs: Sequence[UnitDiff]) -> str:
    if not diffs:
        return "No governed content changed.\n"
    out: list[str] = []
    for unit in diffs:
        out.append(f"{_label(unit)} {unit.unit}: needs {_roles(unit.required)}")
        for line in unit.lines:
            out.append(
                f"  - [{line.severity}] {line.class_words}: {line.text}"
                f" (needs {_roles(line.roles)})"
            )
    return "\n".join(out) + "\n"


def as_json(diffs: Sequence[UnitDiff]) -> list[dict[str, object]]:
    return [
        {
            "unit": u.unit,
            "kind": u.kind,
            "classes": list(u.classes),
            "required": u.required,
            "meaning_changed": u.meaning_changed,
            "severity": u.severity,
            "lines": [
                {
                    "class": ln.change_class,
                    "class_words": ln.class_words,
                    "text": ln.text,
                    "severity": ln.severity,
                    "roles": ln.roles,
                }
                for ln in u.lines
            ],
        }
        for u in diffs
    ]


def render_json(diffs: Sequence[UnitDiff]) -> str:
    return json.dumps({"units": as_json(diffs)}, indent=2, ensure_ascii=False) + "\n"


def render_markdown(diffs: Sequence[UnitDiff], heading: str = "#### What changed") -> str:
    """A heading, then per unit one line and a bullet per change; every string escaped."""
    parts = [heading]
    if not diffs:
        parts.append("No governed content changed.")
    for unit in diffs[:MAX_UNITS]:
        parts.append(
            f"**{_label(unit)} `{markdown(unit.unit)}`** — needs {markdown(_roles(unit.required))}"
        )
        parts.append(
            "\n".join(
                f"- {_BADGE[ln.severity]} · **{markdown(ln.class_words)}**: {markdown(ln.text)}"
                f" — needs {markdown(_roles(ln.roles))}"
                for ln in unit.lines
            )
        )
    if len(diffs) > MAX_UNITS:
        parts.append(f"… and {len(diffs) - MAX_UNITS} more units.")
    return "\n\n".join(parts) + "\n"


RENDERERS = {"text": render_text, "json": render_json, "markdown": render_markdown}
