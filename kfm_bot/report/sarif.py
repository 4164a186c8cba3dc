"""Findings as a SARIF 2.1.0 log: what GitHub code scanning and SARIF viewers read.

One run, tool `kfm-bot`, one rule per rule id met (with its fix text and a link to the README
table), one result per finding. Locations are relative to the repository root through the
`ROOT` base id, so the log is the same on every machine and the upload step resolves it
against its checkout. `partialFingerprints` hash the rule, the file and the message, not the
line: a finding keeps its identity when lines above it move, so code scanning does not close
and reopen it on every push.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import PurePosixPath
from typing import Any

from kfm_bot import __version__
from kfm_bot.report.escape import uri_path, valid_unicode
from kfm_bot.report.finding_lines import FindingLike

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/kfm-bot/kfm-bot"
# The README section with every rule id and its fix (rendered from gates/rule_catalog.py).
RULES_HELP_URI = INFORMATION_URI + "#the-gates-and-how-to-fix-each-finding"
ROOT = "ROOT"
FINGERPRINT = "kfmFinding/v1"
_LEVEL = {"error": "error", "warning": "warning", "notice": "note"}


def render(findings: Iterable[FindingLike], rule_help: Mapping[str, str]) -> str:
    """The log as indented JSON text (stable key order: the same findings, the same bytes)."""
    text = json.dumps(sarif_log(findings, rule_help), indent=2, ensure_ascii=False)
    return valid_unicode(text) + "\n"


def sarif_log(findings: Iterable[FindingLike], rule_help: Mapping[str, str]) -> dict[str, Any]:
    """`rule_help`: rule id -> its fix text (`gates.rule_catalog`); ids it lacks still get a
    rule, pointing at the README table."""
    ordered = list(findings)
    rule_ids = sorted({f.rule for f in ordered})
    index = {rule: i for i, rule in enumerate(rule_ids)}
    seen: dict[str, int] = {}
    results = []
    for f in ordered:
        key = _fingerprint(f)
        # Two identical findings in one file (same rule and message) stay two results.
        seen[key] = seen.get(key, 0) + 1
        results.append(_result(f, index[f.rule], f"{key}:{seen[key]}"))
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "kfm-bot",
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [_rule(r, rule_help.get(r)) for r in rule_ids],
                    }
                },
                "originalUriBaseIds": {
                    ROOT: {"description": {"text": "The root of the governance repository."}}
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def _rule(rule: str, fix: str | None) -> dict[str, object]:
    gate = rule.split(".", 1)[0]
    text = fix or f"Rule {rule}: see the README table of rules for its meaning and fix."
    return {
        "id": rule,
        "shortDescription": {"text": text},
        "help": {"text": text, "markdown": f"{text}\n\n[All rules and fixes]({RULES_HELP_URI})"},
        "helpUri": RULES_HELP_URI,
        "properties": {"tags": ["kfm-bot", f"gate-{gate}"]},
    }


def _result(f: FindingLike, rule_index: int, fingerprint: str) -> dict[str, object]:
    result: dict[str, object] = {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": _LEVEL.get(str(f.severity), "note"),
        "message": {"text": f.message or f.rule},
        "partialFingerprints": {FINGERPRINT: fingerprint},
    }
    if f.path:
        region: dict[str, int] = {}
        if f.line:
            region["startLine"] = f.line
            if f.column:
                region["startColumn"] = f.column
        physical: dict[str, object] = {"artifactLocation": _artifact(f.path)}
        if region:
            physical["region"] = region
        result["locations"] = [{"physicalLocation": physical}]
    return result


def _artifact(path: str) -> dict[str, str]:
    """A repository path as a relative URI under ROOT; an absolute path (`hash /tmp/x.yaml`)
    as a file URI of its own."""
    if PurePosixPath(path).is_absolute():
        return {"uri": "file://" + uri_path(path)}
    return {"uri": uri_path(path), "uriBaseId": ROOT}


def _fingerprint(f: FindingLike) -> str:
    """Rule, file and message, whitespace folded: stable across runs, machines and line moves."""
    message = " ".join(f.message.split())
    text = "\x1f".join((f.rule, f.path or "", message))
    return hashlib.sha256(valid_unicode(text).encode("utf-8")).hexdigest()[:32]
