"""Export pack documents v1: what was asked, what the pack holds, and the receipt of the export."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

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

    model_config = ConfigDict(title="Export request")

    kfm_export_spec_version: Literal["v1"] = Field(description="The format version; always `v1`.")
    dataset_slug: DatasetSlug = Field(description="The dataset exported.")
    dataset_version_id: DatasetVersionId = Field(description="The promoted version exported.")
    target_label: PolicyLabel = Field(
        description="The label of the audience the pack is for; never lower than allowed."
    )
    format: Literal["directory", "tar.gz"] = Field(description="`directory` or a `tar.gz` archive.")


class PackFile(Strict):
    path: RelPath = Field(description="The file's path in the pack.")
    role: PackRole = Field(description="What the file is.")
    digest: Digest = Field(description="The file's digest.")
    media_type: MediaType = Field(description="The file's media type.")


class ArtifactManifest(Strict):
    """`artifact_manifest.json`: every file of the pack except itself, the receipt and checksums.

    Those three describe the others: `checksums.txt` covers every file but itself, and the
    receipt's `pack_hash` is sha256 over the sorted `path:digest` lines of every file except
    `export_receipt.json` and `checksums.txt`.
    """

    model_config = ConfigDict(title="Export pack artifact manifest")

    kfm_export_artifact_manifest_version: Literal["v1"] = Field(
        description="The format version; always `v1`."
    )
    files: list[PackFile] = Field(
        min_length=1,
        description="Every file of the pack except this one, the receipt and `checksums.txt`.",
    )


class ReceiptInput(Strict):
    """A file read from the repository at the promotion commit."""

    path: RelPath = Field(description="The repository file read, relative to the repository root.")
    digest: Digest = Field(description="Its digest at the promotion commit.")


class ReceiptOutput(Strict):
    path: RelPath = Field(description="The file written, relative to the pack.")
    digest: Digest = Field(description="Its digest.")


class ReceiptPolicy(Strict):
    """The decisions that let the export happen: the version's own and the label check."""

    policy_label: PolicyLabel = Field(description="The version's label.")
    target_label: PolicyLabel = Field(description="The pack's audience label.")
    decision_id: DecisionId = Field(description="The version's policy decision.")
    decision: Literal["allow"] = Field(
        description="Always `allow`: a denied version is never exported."
    )
    label_check: Literal["allow"] = Field(
        description="Always `allow`: the target label may receive the version."
    )


class ReceiptSource(Strict):
    """Where the inputs were read: the promotion commit and the ledger line that records it."""

    promotion_commit: GitSha = Field(description="The commit that promoted the version.")
    ledger_seq: int = Field(
        examples=[3], ge=1, le=2**53 - 1, description="The ledger line that records the promotion."
    )
    manifest_digest: Digest = Field(description="The digest of the version's promotion manifest.")


class ExportReceipt(Strict):
    """`export_receipt.json`: who exported what, when (release time), why, from what, to what."""

    model_config = ConfigDict(title="Export pack receipt")

    kfm_export_receipt_version: Literal["v1"] = Field(
        description="The format version; always `v1`."
    )
    actor: str = Field(
        examples=["kfm-bot[bot]"], pattern=ACTOR_PATTERN, description="Who exported it."
    )
    operation: Literal["export"] = Field(description="Always `export`.")
    dataset_slug: DatasetSlug = Field(description="The dataset exported.")
    dataset_version_id: DatasetVersionId = Field(description="The version exported.")
    created_at: UtcTime = Field(
        description="The version's release time (so re-exporting gives the same bytes)."
    )
    why: NonEmpty = Field(
        examples=["Quarterly release to county planners"], description="Why the export was made."
    )
    source: ReceiptSource = Field(description="Where the inputs were read.")
    inputs: list[ReceiptInput] = Field(min_length=1, description="The repository files read.")
    outputs: list[ReceiptOutput] = Field(min_length=1, description="The pack's files written.")
    policy: ReceiptPolicy = Field(description="The decisions that let the export happen.")
    pack_hash: Digest = Field(
        description=(
            "sha256 over the sorted `path:digest` lines of every file but this receipt and "
            "`checksums.txt`."
        )
    )
