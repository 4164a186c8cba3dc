"""The promotion statement: an in-toto Statement v1 about one promoted dataset version.

Subjects are the promotion manifest and every artifact it names, each with its sha256. The
predicate (type PREDICATE_TYPE, this project's own) records what the promotion rested on: the
gates' results on the merge commit, the policy decision id, the steward approvals, and the hash
of the ledger line the promotion appended, so a statement binds to exactly one ledger position.
Everything comes from bytes the promotion already wrote: the same promotion gives the same
statement, byte for byte.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from kfm_bot.canonical import sha256_digest
from kfm_bot.errors import GateFailure
from kfm_bot.repo.layout import LEDGER_PATH

STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
PREDICATE_TYPE = "https://kfm-bot.dev/promotion/v1"
STATEMENT_FILE = "promotion_statement.dsse.json"  # beside promotion_manifest.json


class StatementError(GateFailure):
    """A statement that does not verify, or does not match what it is about: exit 1."""


def statement_path(manifest_path: str) -> str:
    return manifest_path.rsplit("/", 1)[0] + "/" + STATEMENT_FILE


def _hex(digest: str) -> str:
    return digest.removeprefix("sha256:")


def build_statement(
    manifest_path: str,
    manifest_bytes: bytes,
    decision: Mapping[str, Any],
    ledger_line: bytes,
    seq: int,
) -> dict[str, Any]:
    """The Statement of one promotion; `ledger_line` is the exact line it appended (no newline)."""
    manifest = json.loads(manifest_bytes)
    entry = json.loads(ledger_line)
    subjects = build_subjects(manifest_path, manifest_bytes, manifest)
    gates = [
        {"gate": r["rule"].removeprefix("gate-"), "name": r["detail"], "status": r["outcome"]}
        for r in decision["rules"]
        if r["rule"].startswith("gate-")
    ]
    return {
        "_type": STATEMENT_TYPE,
        "subject": subjects,
        "predicateType": PREDICATE_TYPE,
        "predicate": {
            "dataset_slug": manifest["dataset_slug"],
            "dataset_version_id": manifest["dataset_version_id"],
            "spec_hash": manifest["spec_hash"],
            "released_at": manifest["released_at"],
            "merge_commit": entry["merge_commit"],
            "pr_number": entry["pr_number"],
            "gates": {"decision": decision["decision"], "results": gates},
            "policy_decision_id": decision["decision_id"],
            "approvals": manifest["approvals"],
            "ledger": {"path": LEDGER_PATH, "seq": seq, "line_hash": sha256_digest(ledger_line)},
        },
    }


def released_at(statement: Mapping[str, Any]) -> str:
    """The time a signature is judged at: the promotion's released_at (the merge commit's time,
    fixed by git, so a re-run signs the same bytes and a verifier needs no clock)."""
    value = statement["predicate"]["released_at"]
    assert isinstance(value, str)
    return value


def check_shape(statement: object) -> dict[str, Any]:
    """The statement when it has the fields verify reads; StatementError naming the first gap."""
    if not isinstance(statement, dict):
        raise StatementError("the statement payload is not a JSON object")
    if statement.get("_type") != STATEMENT_TYPE:
        raise StatementError(f"the statement's _type is not {STATEMENT_TYPE}")
    if statement.get("predicateType") != PREDICATE_TYPE:
        raise StatementError(f"the statement's predicateType is not {PREDICATE_TYPE}")
    predicate = statement.get("predicate")
    subjects = statement.get("subject")
    if not isinstance(predicate, dict) or not isinstance(subjects, list) or not subjects:
        raise StatementError("the statement has no predicate or no subjects")
    for key in ("dataset_slug", "dataset_version_id", "released_at", "policy_decision_id"):
        if not isinstance(predicate.get(key), str):
            raise StatementError(f"the statement's predicate has no {key}")
    ledger = predicate.get("ledger")
    if not isinstance(ledger, dict) or not isinstance(ledger.get("seq"), int):
        raise StatementError("the statement's predicate has no ledger position")
    return statement


def check_against_manifest(
    statement: Mapping[str, Any], manifest_path: str, manifest_bytes: bytes
) -> None:
    """The statement is about exactly these manifest bytes and the artifacts they name."""
    manifest = json.loads(manifest_bytes)
    expected = build_subjects(manifest_path, manifest_bytes, manifest)
    if statement["subject"] != expected:
        first = statement["subject"][0] if statement["subject"] else {}
        if first != expected[0]:
            raise StatementError(
                f"the statement is not about {manifest_path} as it is: its subject digest differs"
            )
        raise StatementError("the statement's subjects differ from the manifest's artifacts")
    predicate = statement["predicate"]
    for key, value in (
        ("dataset_slug", manifest["dataset_slug"]),
        ("dataset_version_id", manifest["dataset_version_id"]),
        ("released_at", manifest["released_at"]),
        ("policy_decision_id", manifest["policy"]["decision_id"]),
        ("approvals", manifest["approvals"]),
    ):
        if predicate.get(key) != value:
            raise StatementError(f"the statement's {key} differs from {manifest_path}")


def build_subjects(
    manifest_path: str, manifest_bytes: bytes, manifest: Mapping[str, Any]
) -> list[dict[str, Any]]:
    subjects = [{"name": manifest_path, "digest": {"sha256": _hex(sha256_digest(manifest_bytes))}}]
    return subjects + [
        {"name": a.get("path") or a["uri"], "digest": {"sha256": _hex(a["digest"])}}
        for a in manifest["artifacts"]  # a repository file, or a published zone object
    ]
