"""Export pack documents v1: what was asked, what the pack holds, and the receipt of the export."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from kfm_bot.models.common import (
    DatasetSlug,
    DatasetVersionId,
    DecisionId,
    Digest,
    GitSha,
    MediaType,
    NonEmpty,
    PolicyLabel,
    RelPath,
    Strict,
    UtcTime,
)

# spec, receipt, qa: the documents the spec names, which the dataset's catalogs link to.
PackRole = Literal[
    "artifact",
    "catalog",
    "manifest",
    "decision",
    "spec",
    "receipt",
    "qa",
    "export_spec",
    "provenance",
    "statement",
]
ACTOR_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._@:\[\]-]{0,99}$"


class ExportSpec(Strict):
    """`export_spec.json`: what was asked for: one promoted version, for a pack of one label."""

    kfm_export_spec_version: Literal["v1"]
    dataset_slug: DatasetSlug
    dataset_version_id: DatasetVersionId
    target_label: PolicyLabel
    format: Literal["directory", "tar.gz"]


class PackFile(Strict):
    path: RelPath
    role: PackRole
    digest: Digest
    media_type: MediaType


class ArtifactManifest(Strict):
    """`artifact_manifest.json`: every file of the pack except itself, the receipt and checksums.

    Those three describe the others: `checksums.txt` covers every file but itself, and the
    receipt's `pack_hash` is sha256 over the sorted `path:digest` lines of every file except
    `export_receipt.json` and `checksums.txt`.
    """

    kfm_export_artifact_manifest_version: Literal["v1"]
    files: list[PackFile] = Field(min_length=1)


class ReceiptInput(Strict):
    """A file read from the repository at the promotion commit."""

    path: RelPath
    digest: Digest


class ReceiptOutput(Strict):
    path: RelPath
    digest: Digest


class ReceiptPolicy(Strict):
    """The decisions that let the export happen: the version's own and the label check."""

    policy_label: PolicyLabel
    target_label: PolicyLabel
    decision_id: DecisionId
    decision: Literal["allow"]
    label_check: Literal["allow"]


class ReceiptSource(Strict):
    """Where the inputs were read: the promotion commit and the ledger line that records it."""

    promotion_commit: GitSha
    ledger_seq: int = Field(ge=1, le=2**53 - 1)
    manifest_digest: Digest


class ExportReceipt(Strict):
    """`export_receipt.json`: who exported what, when (release time), why, from what, to what."""

    kfm_export_receipt_version: Literal["v1"]
    actor: str = Field(pattern=ACTOR_PATTERN)
    operation: Literal["export"]
    dataset_slug: DatasetSlug
    dataset_version_id: DatasetVersionId
    created_at: UtcTime
    why: NonEmpty
    source: ReceiptSource
    inputs: list[ReceiptInput] = Field(min_length=1)
    outputs: list[ReceiptOutput] = Field(min_length=1)
    policy: ReceiptPolicy
    pack_hash: Digest
