"""Finds a promoted version and proves it: ledger line, manifest digest, files at promotion."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kfm_bot.attest.statement import statement_path
from kfm_bot.canonical import sha256_digest
from kfm_bot.export.layout import PackError
from kfm_bot.export.quarantine import refuse_if_blocked
from kfm_bot.git import read
from kfm_bot.ledger.records import manifest_path, verified
from kfm_bot.promotion.prepare import DECISION
from kfm_bot.repo.layout import PROMOTIONS_DIR
from kfm_bot.repo.snapshot import CommitSnapshot

if TYPE_CHECKING:
    from kfm_bot.git.gitdir import GitDir
    from kfm_bot.models.ledger import LedgerRecord


@dataclass
class Promoted:
    """A promoted version as recorded: its documents and the bytes of every file it names."""

    slug: str
    version: str
    commit: str  # the promotion commit (its `Kfm-Promotion` trailer names slug/version)
    ledger_seq: int
    manifest_digest: str
    manifest_path: str
    decision_path: str
    manifest_bytes: bytes
    decision_bytes: bytes
    manifest: dict[str, Any]
    decision: dict[str, Any]
    snapshot: CommitSnapshot
    files: dict[str, bytes] = field(default_factory=dict)
    # The promotion statement (DSSE envelope) beside the manifest; None for promotions made
    # before statements existed.
    statement_path: str = ""
    statement_bytes: bytes | None = None


def locate(repo: GitDir, ref: str, slug: str, version: str) -> Promoted:
    """The version the ledger at `ref` records, read at its promotion commit; else PackError."""
    from kfm_bot.promotion.land import find_promotion_commit

    tip = read.resolve(repo, ref)
    head = CommitSnapshot(repo, tip)
    entry = _ledger_entry(head, ref, slug, version)
    path = manifest_path(slug, version)
    if head.entry(path) is None:
        raise PackError(f"the ledger records {slug}/{version} but {path} is missing at {ref}")
    if head.digest(path) != entry["manifest_digest"]:
        raise PackError(f"{path} at {ref} does not match the manifest_digest the ledger records")
    commit = find_promotion_commit(repo, tip, f"{slug}/{version}")
    snap = CommitSnapshot(repo, commit)
    decision_path = f"{PROMOTIONS_DIR}/{slug}/{version}/{DECISION}"
    for needed in (path, decision_path):
        if snap.entry(needed) is None:
            raise PackError(f"{needed} is missing at the promotion commit {commit[:12]}")
    manifest_bytes = snap.read(path)
    if sha256_digest(manifest_bytes) != entry["manifest_digest"]:
        raise PackError(
            f"{path} at the promotion commit {commit[:12]} does not match "
            "the ledger's manifest_digest"
        )
    decision_bytes = snap.read(decision_path)
    signed_path = statement_path(path)
    statement = snap.read(signed_path) if snap.entry(signed_path) is not None else None
    refuse_if_blocked(repo, snap, slug, version, tip)
    return Promoted(
        slug=slug,
        version=version,
        commit=commit,
        ledger_seq=int(entry["seq"]),
        manifest_digest=entry["manifest_digest"],
        manifest_path=path,
        decision_path=decision_path,
        manifest_bytes=manifest_bytes,
        decision_bytes=decision_bytes,
        manifest=_json_object(manifest_bytes, path),
        decision=_json_object(decision_bytes, decision_path),
        snapshot=snap,
        statement_path=signed_path,
        statement_bytes=statement,
    )


def _ledger_entry(head: CommitSnapshot, ref: str, slug: str, version: str) -> LedgerRecord:
    ledger, findings = verified(head)
    if findings:
        first = findings[0]
        raise PackError(f"the ledger at {ref} does not verify: {first.path}: {first.message}")
    entry = ledger.find(slug, version)
    if entry is None:
        raise PackError(
            f"{slug}/{version} is not promoted: the ledger at {ref} has no line for it; "
            "only promoted versions can be exported"
        )
    return entry


def _json_object(data: bytes, path: str) -> dict[str, Any]:
    try:
        value = json.loads(data)
    except ValueError:
        raise PackError(f"{path} is not valid JSON") from None
    if not isinstance(value, dict):
        raise PackError(f"{path} is not a JSON object")
    return value


def read_named_files(promoted: Promoted) -> None:
    """Every artifact and catalog the (validated) manifest names, checked against its digest."""
    snap = promoted.snapshot
    named = [*promoted.manifest["artifacts"], *promoted.manifest["catalogs"]]
    for item in (i for i in named if "path" in i):  # published zone objects are not git files
        path, digest = item["path"], item["digest"]
        entry = snap.entry(path)
        if entry is None or not entry.is_regular:
            raise PackError(f"{path} is missing at the promotion commit {promoted.commit[:12]}")
        data = snap.read(path)
        if sha256_digest(data) != digest:
            raise PackError(
                f"{path} at the promotion commit {promoted.commit[:12]} does not have the digest "
                "the promotion manifest records"
            )
        promoted.files[path] = data
