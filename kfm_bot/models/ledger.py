"""Ledger entry: one line of `registry/ledger.jsonl`, hash-chained to the line before it."""

from __future__ import annotations

from typing import Literal, TypedDict

from pydantic import ConfigDict, Field

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

    model_config = ConfigDict(title="Ledger entry (one line of registry/ledger.jsonl)")

    seq: PositiveInt = Field(
        examples=[1],
        description="The line's number in the whole ledger, counting from 1: the sealed "
        "segments of `registry/ledger/` in name order, then `registry/ledger.jsonl`.",
    )
    prev: Digest = Field(
        description="`sha256:` + sha256 of the previous line's bytes (the last line of the "
        "segment before, for the first line of a file); 64 zeros for the first line."
    )
    event: Literal["promotion"] = Field(description="What happened; always `promotion`.")
    dataset_slug: DatasetSlug = Field(description="The dataset promoted.")
    dataset_version_id: DatasetVersionId = Field(description="The version promoted.")
    spec_hash: Digest = Field(description="The `spec_hash` of the promoted spec.")
    manifest_digest: Digest = Field(description="The digest of the version's promotion manifest.")
    decision_id: DecisionId = Field(description="The policy decision the promotion acted under.")
    pr_number: PositiveInt = Field(examples=[42], description="The pull request that was merged.")
    merge_commit: GitSha = Field(description="The merge commit promoted.")
    actor: NonEmpty = Field(
        examples=["kfm-bot[bot]"], description="Who promoted it (the bot's identity)."
    )
    recorded_at: UtcTime = Field(description="When the line was written (UTC).")
