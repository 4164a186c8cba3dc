"""Rendered-target pack documents v1 (`geojson_bundle`): its manifest and its receipt.

A rendered pack holds renderings of published zone objects, not repository files, so its
documents name zone locations (`published/<key>`) and say, item by item, what was exported,
generalised or withheld and why.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

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
from kfm_bot.models.export_pack import ACTOR_PATTERN, ReceiptSource
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

    method: RedactionMethod
    precision_decimals: int = Field(ge=0, le=15)
    min_cell_count: int | None = Field(ge=1)
    count_property: str | None
    suppress_properties: list[str]


class ItemEffect(Strict):
    """What generalisation did to one item: counts only, never a value."""

    features_read: Count = Field(ge=0)
    features_written: Count = Field(ge=0)
    features_suppressed: Count = Field(ge=0)
    suppressed_because: dict[str, Count]
    coordinates_rounded: Count = Field(ge=0)
    properties_rounded: Count = Field(ge=0)
    properties_dropped: Count = Field(ge=0)
    members_dropped: Count = Field(ge=0)


class BundleItem(Strict):
    """One artifact of the promotion manifest and its state; a reason whenever withheld."""

    source: RelPath
    source_digest: Digest
    state: ItemState
    reason: NonEmpty | None = None
    path: RelPath | None = None
    digest: Digest | None = None


class ReceiptItem(BundleItem):
    generalisation: ItemEffect | None = None


class BundleSource(Strict):
    uri: RelPath
    digest: Digest
    media_type: MediaType


class BundleFile(Strict):
    path: RelPath
    role: FileRole
    digest: Digest
    size: int = Field(ge=0)
    media_type: MediaType


class BundleManifest(Strict):
    """`pack_manifest.json`: version, release time, sources, item states, files and digests."""

    kfm_export_bundle_manifest_version: Literal["v1"]
    target: Literal["geojson_bundle"]
    dataset_slug: DatasetSlug
    dataset_version_id: DatasetVersionId
    released_at: UtcTime
    crs: Literal["OGC:CRS84"]
    format: NonEmpty
    policy_label: PolicyLabel
    target_label: PolicyLabel
    generalisation: Generalisation
    sources: list[BundleSource]
    items: list[BundleItem]
    files: list[BundleFile]


class BundleInput(Strict):
    uri: RelPath
    digest: Digest


class BundleOutput(Strict):
    path: RelPath
    digest: Digest


class BundleReceipt(Strict):
    """`export_receipt.json` of a rendered pack: who, what, when (released_at), why, the plan
    applied and each item's effect, and the pack_hash (which the actor never changes)."""

    kfm_export_bundle_receipt_version: Literal["v1"]
    actor: str = Field(pattern=ACTOR_PATTERN)
    operation: Literal["export"]
    target: Literal["geojson_bundle"]
    dataset_slug: DatasetSlug
    dataset_version_id: DatasetVersionId
    created_at: UtcTime
    why: NonEmpty
    source: ReceiptSource
    inputs: list[BundleInput]
    outputs: list[BundleOutput]
    generalisation_applied: Generalisation
    items: list[ReceiptItem]
    pack_hash: Digest
