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

    id: str = Field(
        examples=["clean", "dedupe"],
        pattern=r"^[a-z][a-z0-9_-]{0,63}$",
        description="The step's id, unique within the spec; receipts and PROV name it.",
    )
    tool: NonEmpty = Field(
        examples=["gdal", "ghcr.io/kfm/wells-pipeline"],
        description="The program that runs the step.",
    )
    version: str | None = Field(
        examples=["3.8.4", "v2.1.0"],
        default=None,
        pattern=PINNED_VERSION_PATTERN,
        description=(
            "The tool's exact version (`3.8.4`, `v2.1.0`); floating versions such as `latest` or "
            "`^3` are refused. Give this or `digest`."
        ),
    )
    digest: Digest | None = Field(
        default=None,
        description="The digest of the container image that runs the step. Give this or `version`.",
    )
    params: dict[str, JsonValue] = Field(
        default_factory=dict,
        description="The step's parameters, passed to the tool as given; part of `spec_hash`.",
    )

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

    path: RelPath | None = Field(
        default=None,
        description=(
            "A file beside the spec, relative to the dataset directory. Give this or `uri`."
        ),
    )
    uri: ZoneUri | None = Field(
        default=None,
        description=(
            "An object in a zone of `policies/storage.yaml`, as `<zone>/<key>`. Give this or "
            "`path`."
        ),
    )
    media_type: MediaType = Field(description="The output's media type.")
    publish: bool = Field(
        default=False,
        description="True makes it a released artifact: promotion copies it to the published zone.",
    )

    @model_validator(mode="after")
    def _named_once(self) -> Output:
        if (self.path is None) == (self.uri is None):
            raise ValueError("an output needs exactly one of `path` or `uri`")
        return self


class SpecLicense(Strict):
    spdx: SpdxExpression = Field(
        description=(
            "The dataset's licence as an SPDX expression; it must be derivable from the licences "
            "of its sources."
        )
    )
    attribution: Text = Field(
        examples=["Contains data from the Kansas Geological Survey."],
        description="The attribution the dataset carries (its sources' attributions).",
    )


class Redaction(Strict):
    """The generalisation plan; gate C decides when it is required and checks fixtures."""

    method: RedactionMethod = Field(
        description=(
            "How locations are generalised: `generalize` (rounded), `suppress`, `aggregate` (to "
            "cells) or `none`."
        )
    )
    precision_decimals: int | None = Field(
        examples=[2],
        default=None,
        ge=0,
        le=15,
        description="Decimal places coordinates are rounded to; fixtures may hold no more.",
    )
    grid_m: int | None = Field(
        examples=[1000],
        default=None,
        ge=1,
        description="Cell size in metres when `method` is `aggregate`.",
    )
    # The suppression threshold: groups (cells) of fewer records are not published.
    min_cell_count: int | None = Field(
        examples=[5],
        default=None,
        ge=1,
        description="The suppression threshold: groups (cells) of fewer records are not published.",
    )
    # The property that holds a cell's count, which min_cell_count is compared with on export.
    count_property: str | None = Field(
        examples=["site_count"],
        default=None,
        min_length=1,
        max_length=128,
        description=(
            "The property holding a cell's count, compared with `min_cell_count` on export."
        ),
    )
    # Properties never exported (dropped from every feature of a rendered target).
    suppress_properties: list[str] = Field(
        examples=[["site_name", "owner"]],
        default_factory=list,
        max_length=256,
        description="Properties never exported (dropped from every feature of a rendered target).",
    )
    description: NonEmpty = Field(
        examples=["Site locations aggregated to a 1 km grid; cells under 5 sites dropped."],
        description="The plan in words, for reviewers and the release notes.",
    )


class CatalogPaths(Strict):
    dcat: RelPath = Field(description="The DCAT record, relative to the dataset directory.")
    stac: RelPath | None = Field(
        default=None,
        description=(
            "The STAC Collection, relative to the dataset directory, when the data is spatial."
        ),
    )
    prov: RelPath = Field(description="The PROV-JSON lineage, relative to the dataset directory.")


class PipelineSpec(Strict):
    """Pipeline spec v1. Paths are relative to the spec's directory; cross-file facts are gates'."""

    model_config = ConfigDict(title="Dataset pipeline spec")

    kfm_pipeline_spec_version: Literal["v1"] = Field(
        description="The format version of this file; always `v1`."
    )
    dataset_slug: DatasetSlug = Field(
        description="The dataset's slug; must equal the name of the folder holding this spec."
    )
    title: NonEmpty = Field(
        examples=["Kansas water wells"], description="The dataset's name, as shown to readers."
    )
    description: Text = Field(
        examples=["Water wells drilled in Kansas, cleaned and deduplicated."],
        description="What the dataset holds and how it is made.",
    )
    sources: list[SourceId] = Field(
        min_length=1,
        description=(
            "Ids of the registered sources the pipeline reads (`registry/sources/<id>.yaml`)."
        ),
    )
    transforms: list[Transform] = Field(
        min_length=1,
        description=(
            "The pipeline's steps in order, each pinned to an exact version or image digest."
        ),
    )
    outputs: list[Output] = Field(
        min_length=1, description="What the pipeline writes: files beside the spec or zone objects."
    )
    policy_label: PolicyLabel = Field(
        description="The dataset's label; never lower than the label of any of its sources."
    )
    license: SpecLicense = Field(description="The dataset's licence and attribution.")
    redaction: Redaction | None = Field(
        default=None,
        description=(
            "How sensitive locations are generalised; required when a source has "
            "`sensitive_locations`."
        ),
    )
    catalog: CatalogPaths = Field(
        description="Where the dataset's DCAT, STAC and PROV records are."
    )
    receipts: list[RelPath] = Field(
        description=(
            "Run receipts of the pipeline runs that made the outputs, relative to the dataset "
            "directory."
        )
    )
    qa: RelPath = Field(
        description="The QA report of the version, relative to the dataset directory."
    )
