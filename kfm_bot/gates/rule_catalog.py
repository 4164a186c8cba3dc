"""Every rule id the gates can report, what it means and how to fix it, in one place."""

from __future__ import annotations

import sys
from dataclasses import dataclass

from kfm_bot.gates.registry import GATES

# The strict YAML loader's rules (gate A): it is a loader, not a gate module, so they live here.
YAML_RULES: dict[str, str] = {
    "A.yaml-syntax": "the file is not valid YAML: fix the line the message names.",
    "A.yaml-encoding": "the file is not UTF-8 (UTF-16/32 or invalid bytes): save it as UTF-8.",
    "A.yaml-invalid-utf8": "bytes that are not valid UTF-8: re-save the file as UTF-8.",
    "A.yaml-nul-byte": "a NUL byte: the file is binary or corrupt; save it as UTF-8 text.",
    "A.yaml-control-char": "a control character: delete it or write it as an escape.",
    "A.yaml-invisible-char": "a zero-width or bidi character (trojan source): delete it.",
    "A.yaml-too-large": "the file is over the size limit: split it or keep data out of YAML.",
    "A.yaml-too-deep": "nesting is deeper than the limit: flatten the structure.",
    "A.yaml-directive": "a %YAML or %TAG directive: delete it (YAML 1.2 core is implied).",
    "A.yaml-tag": "a tag (!!str, !!python/object, !custom): delete it and quote the value.",
    "A.yaml-anchor": "an anchor (&name): write the value out in full.",
    "A.yaml-alias": "an alias (*name): write the value out in full.",
    "A.yaml-merge-key": "a merge key (<<): write the merged keys out in full.",
    "A.yaml-duplicate-key": "a key appears twice in one mapping: keep one.",
    "A.yaml-non-string-key": "a key that is not a string (1:, true:, null:): quote it.",
    "A.yaml-complex-key": "a mapping or sequence used as a key: use a string key.",
    "A.yaml-multi-document": "several documents (---): keep one document per file.",
    "A.yaml-empty": "the file holds no document: write a mapping.",
    "A.yaml-root-not-mapping": "the document is not a mapping: write key: value pairs.",
    "A.yaml-unquoted-date": "an unquoted date or timestamp: quote it ('2026-01-01').",
    "A.yaml-non-finite": ".inf or .nan is not JSON: write a number or quote it.",
    "A.yaml-int-range": "an integer beyond ±(2^53−1): quote it as a string.",
    "A.yaml-ambiguous-bool": "yes/no/on/off are booleans in YAML 1.1: quote it or use true/false.",
    "A.yaml-ambiguous-number": "octal, hex or sexagesimal forms differ by YAML version: quote it.",
    "A.yaml-tab-indent": "a tab used as indentation: indent with spaces.",
    # Files named as JSON are parsed as JSON first (kfm_bot/yaml/json_strict.py).
    "A.json-syntax": "the file is not valid JSON: fix the line and column the message names.",
}


@dataclass(frozen=True)
class Rule:
    gate: str
    gate_name: str
    rule: str
    text: str


def all_rules() -> list[Rule]:
    rules: list[Rule] = []
    for spec in GATES.values():
        if spec.gate == "A":
            rules.extend(Rule("A", spec.name, r, t) for r, t in YAML_RULES.items())
        for check in spec.checks:
            found: dict[str, str] = getattr(sys.modules[check.__module__], "RULES", {})
            rules.extend(Rule(spec.gate, spec.name, r, t) for r, t in found.items())
    return rules


def markdown_table() -> str:
    lines = []
    current = ""
    for rule in all_rules():
        if rule.gate != current:
            current = rule.gate
            lines += [
                "",
                f"**Gate {rule.gate} — {rule.gate_name}**",
                "",
                "| rule | fix |",
                "|---|---|",
            ]
        text = rule.text.replace("|", "\\|")
        lines.append(f"| `{rule.rule}` | {text} |")
    return "\n".join(lines).strip() + "\n"
