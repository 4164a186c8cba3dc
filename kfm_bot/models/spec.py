"""Pipeline spec v1: `specs/<dataset_slug>/spec.yaml`, the hashed desired state of a dataset."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field, JsonValue, model_validator

from kfm_bot.models.common import (
    DatasetSlug,
    Digest,
    MediaType,
    NonEmpty,
    PolicyLabel,
    RelPath,
    SourceId,
    SpdxExpression,
    Strict,
    Text,
    ZoneUri,
)

# Exact versions only ("3.8.4", "v2.1.0", "1.4.0-rc1"); gate A names floating ones in detail.
PINNED_VERSION_PATTERN = r"^v?[0-9]+(\.[0-9]+)*([-+][0-9A-Za-z]+(\.[0-9A-Za-z]+)*)*$"
RedactionMethod = Literal["generalize", "suppress", "aggregate", "none"]


class Transform(Strict):
    """One pipeline step, pinned by exactly one of an exact `version` or an image `digest`."""

    model_config = ConfigDict(
        json_schema_extra={"oneOf": [{"required": ["version"]}, {"required": ["digest"]}]}
    )

    id: str = Field(pattern=r"^[a-z][a-z0-9_-]{0,63}$")
    tool: NonEmpty
    version: str | None = Field(default=None, pattern=PINNED_VERSION_PATTERN)
    digest: Digest | None = None
    params: dict[str, JsonValue] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _pinned_once(self) -> Transform:
        if (self.version is None) == (self.digest is None):
            raise ValueError("a transform needs exactly one of `version` or `digest`")
        return self


class Output(Strict):
    """A dataset output: a file beside the spec (`path`) or a zone object (`uri`), never both.

    `publish: true` makes it a published artifact: promotion copies it to the published zone
    with this `media_type`."""

    model_config = ConfigDict(
        json_schema_extra={"oneOf": [{"required": ["path"]}, {"required": ["uri"]}]}
    )

    path: RelPath | None = None
    uri: ZoneUri | None = None
    media_type: MediaType
    publish: bool = False

    @model_validator(mode="after")
    def _named_once(self) -> Output:
        if (self.path is None) == (self.uri is None):
            raise ValueError("an output needs exactly one of `path` or `uri`")
        return self


class SpecLicense(Strict):
    spdx: SpdxExpression
    attribution: Text


class Redaction(Strict):
    """The generalisation plan; gate C decides when it is required and checks fixtures."""

    method: RedactionMethod
    precision_decimals: int | None = Field(default=None, ge=0, le=15)
    grid_m: int | None = Field(default=None, ge=1)
    # The suppression threshold: groups (cells) of fewer records are not published.
    min_cell_count: int | None = Field(default=None, ge=1)
    # The property that holds a cell's count, which min_cell_count is compared with on export.
    count_property: str | None = Field(default=None, min_length=1, max_length=128)
    # Properties never exported (dropped from every feature of a rendered target).
    suppress_properties: list[str] = Field(default_factory=list, max_length=256)
    description: NonEmpty


class CatalogPaths(Strict):
    dcat: RelPath
    stac: RelPath | None = None
    prov: RelPath


class PipelineSpec(Strict):
    """Pipeline spec v1. Paths are relative to the spec's directory; cross-file facts are gates'."""

    kfm_pipeline_spec_version: Literal["v1"]
    dataset_slug: DatasetSlug
    title: NonEmpty
    description: Text
    sources: list[SourceId] = Field(min_length=1)
    transforms: list[Transform] = Field(min_length=1)
    outputs: list[Output] = Field(min_length=1)
    policy_label: PolicyLabel
    license: SpecLicense
    redaction: Redaction | None = None
    catalog: CatalogPaths
    receipts: list[RelPath]
    qa: RelPath
