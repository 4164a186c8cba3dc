"""Ledger entry: one line of `registry/ledger.jsonl`, hash-chained to the line before it."""

from __future__ import annotations

from typing import Literal, TypedDict

from kfm_bot.models.common import (
    DatasetSlug,
    DatasetVersionId,
    DecisionId,
    Digest,
    GitSha,
    NonEmpty,
    PositiveInt,
    Strict,
    UtcTime,
)


class LedgerRecord(TypedDict):
    """A ledger line as plain JSON: the fields `LedgerEntry` validates."""

    seq: int
    prev: str
    event: Literal["promotion"]
    dataset_slug: str
    dataset_version_id: str
    spec_hash: str
    manifest_digest: str
    decision_id: str
    pr_number: int
    merge_commit: str
    actor: str
    recorded_at: str


class LedgerEntry(Strict):
    """One promotion event.

    `seq` counts from 1; `prev` is `"sha256:" + sha256 hex` of the previous line's bytes
    (the exact bytes are the ledger module's to define), and `GENESIS_DIGEST` (64 zeros) for
    the first line. A line has no version field: this model's schema versions the format.
    """

    seq: PositiveInt
    prev: Digest
    event: Literal["promotion"]
    dataset_slug: DatasetSlug
    dataset_version_id: DatasetVersionId
    spec_hash: Digest
    manifest_digest: Digest
    decision_id: DecisionId
    pr_number: PositiveInt
    merge_commit: GitSha
    actor: NonEmpty
    recorded_at: UtcTime
