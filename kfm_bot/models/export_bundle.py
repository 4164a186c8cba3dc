"""Rendered-target pack documents v1 (`geojson_bundle`): its manifest and its receipt.

A rendered pack holds renderings of published zone objects, not repository files, so its
documents name zone locations (`published/<key>`) and say, item by item, what was exported,
generalised or withheld and why.
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from kfm_bot.models.common import (
    DatasetSlug,
    DatasetVersionId,
    Digest,
    MediaType,
    NonEmpty,
    PolicyLabel,
    RelPath,
    Strict,
    UtcTime,
)
from kfm_bot.models.export_pack import ACTOR_PATTERN, ReceiptOutput, ReceiptSource
from kfm_bot.models.spec import RedactionMethod

ItemState = Literal["exported", "generalised", "withheld"]
# What a file of the pack is: a rendering of a published object, the pack's PROV, or a
# repository document copied as committed at the promotion commit.
FileRole = Literal[
    "rendering", "provenance", "spec", "receipt", "qa", "promotion_manifest", "statement"
]
Count = int


class Generalisation(Strict):
    """The plan as applied: the spec's redaction plan, or method `none` with 6 places."""

    method: RedactionMethod = Field(
        description="The redaction method applied (`none` when the spec has no plan)."
    )
    precision_decimals: int = Field(
        examples=[2], ge=0, le=15, description="Decimal places coordinates were rounded to."
    )
    min_cell_count: int | None = Field(
        examples=[5], ge=1, description="The suppression threshold applied, if any."
    )
    count_property: str | None = Field(
        examples=["site_count"], description="The property holding a cell's count, if any."
    )
    suppress_properties: list[str] = Field(
        examples=[["site_name", "owner"]], description="Properties dropped from every feature."
    )


class ItemEffect(Strict):
    """What generalisation did to one item: counts only, never a value."""

    features_read: Count = Field(
        examples=[1200], ge=0, description="Features read from the published object."
    )
    features_written: Count = Field(
        examples=[1180], ge=0, description="Features written to the pack."
    )
    features_suppressed: Count = Field(examples=[20], ge=0, description="Features left out.")
    suppressed_because: dict[str, Count] = Field(description="Suppressed features per reason.")
    coordinates_rounded: Count = Field(examples=[2360], ge=0, description="Coordinates rounded.")
    properties_rounded: Count = Field(examples=[0], ge=0, description="Numeric properties rounded.")
    properties_dropped: Count = Field(examples=[2400], ge=0, description="Properties dropped.")
    members_dropped: Count = Field(examples=[0], ge=0, description="Foreign members dropped.")


class BundleItem(Strict):
    """One artifact of the promotion manifest and its state; a reason whenever withheld."""

    source: RelPath = Field(description="The artifact as the promotion manifest names it.")
    source_digest: Digest = Field(description="The artifact's digest.")
    state: ItemState = Field(description="`exported`, `generalised` or `withheld`.")
    reason: NonEmpty | None = Field(
        examples=["restricted at the target label"],
        default=None,
        description="Why it was withheld or generalised.",
    )
    path: RelPath | None = Field(
        default=None, description="Its rendering in the pack, unless withheld."
    )
    digest: Digest | None = Field(
        default=None, description="The rendering's digest, unless withheld."
    )


class ReceiptItem(BundleItem):
    generalisation: ItemEffect | None = Field(
        default=None, description="What generalisation did to it (counts only, never a value)."
    )


class BundleSource(Strict):
    uri: RelPath = Field(description="A published object read, `published/<key>`.")
    digest: Digest = Field(description="Its digest.")
    media_type: MediaType = Field(description="Its media type.")


class BundleFile(Strict):
    path: RelPath = Field(description="The file's path in the pack.")
    role: FileRole = Field(description="What the file is.")
    digest: Digest = Field(description="The file's digest.")
    size: int = Field(examples=[20480], ge=0, description="Size in bytes.")
    media_type: MediaType = Field(description="The file's media type.")


class BundleManifest(Strict):
    """`pack_manifest.json`: version, release time, sources, item states, files and digests."""

    model_config = ConfigDict(title="Rendered export pack manifest")

    kfm_export_bundle_manifest_version: Literal["v1"] = Field(
        description="The format version; always `v1`."
    )
    target: Literal["geojson_bundle"] = Field(description="Always `geojson_bundle`.")
    dataset_slug: DatasetSlug = Field(description="The dataset exported.")
    dataset_version_id: DatasetVersionId = Field(description="The version exported.")
    released_at: UtcTime = Field(description="The version's release time.")
    crs: Literal["OGC:CRS84"] = Field(
        description="The coordinate reference system; always `OGC:CRS84`."
    )
    format: NonEmpty = Field(examples=["GeoJSON (RFC 7946)"], description="The renderings' format.")
    policy_label: PolicyLabel = Field(description="The version's label.")
    target_label: PolicyLabel = Field(description="The pack's audience label.")
    generalisation: Generalisation = Field(description="The plan applied.")
    sources: list[BundleSource] = Field(description="The published objects read.")
    items: list[BundleItem] = Field(
        description="Each artifact of the promotion manifest and its state."
    )
    files: list[BundleFile] = Field(description="Every file of the pack.")


class BundleInput(Strict):
    uri: RelPath = Field(description="A published object read.")
    digest: Digest = Field(description="Its digest.")


class BundleReceipt(Strict):
    """`export_receipt.json` of a rendered pack: who, what, when (released_at), why, the plan
    applied and each item's effect, and the pack_hash (which the actor never changes)."""

    model_config = ConfigDict(title="Rendered export pack receipt")

    kfm_export_bundle_receipt_version: Literal["v1"] = Field(
        description="The format version; always `v1`."
    )
    actor: str = Field(
        examples=["kfm-bot[bot]"], pattern=ACTOR_PATTERN, description="Who exported it."
    )
    operation: Literal["export"] = Field(description="Always `export`.")
    target: Literal["geojson_bundle"] = Field(description="Always `geojson_bundle`.")
    dataset_slug: DatasetSlug = Field(description="The dataset exported.")
    dataset_version_id: DatasetVersionId = Field(description="The version exported.")
    created_at: UtcTime = Field(description="The version's release time.")
    why: NonEmpty = Field(
        examples=["Quarterly release to county planners"], description="Why the export was made."
    )
    source: ReceiptSource = Field(description="Where the inputs were read.")
    inputs: list[BundleInput] = Field(description="The published objects read.")
    outputs: list[ReceiptOutput] = Field(description="The pack's files written.")
    generalisation_applied: Generalisation = Field(description="The plan applied.")
    items: list[ReceiptItem] = Field(description="Each item's state and effect.")
    pack_hash: Digest = Field(
        description=(
            "sha256 over the sorted `path:digest` lines of the pack's files; the actor never "
            "changes it."
        )
    )
