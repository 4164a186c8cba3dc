"""KFM profiles of DCAT (JSON-LD), STAC Collection and PROV-JSON: required keys, others allowed.

Every relative path or href in these records is relative to the dataset directory
`specs/<slug>/` (like the spec's own paths), never to the catalog file, and never uses `..`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, JsonValue

from kfm_bot.models.common import (
    DatasetSlug,
    NonEmpty,
    Open,
    PolicyLabel,
    RelPath,
    SpdxExpression,
    UtcTime,
)


class DcatPublisher(Open):
    name: NonEmpty = Field(
        examples=["Kansas Geological Survey"],
        alias="foaf:name",
        description="The publisher's name.",
    )


class DcatDistribution(Open):
    type_: Literal["dcat:Distribution"] = Field(
        alias="@type", description="Always `dcat:Distribution`."
    )
    title: NonEmpty = Field(
        examples=["Water wells (GeoParquet)"],
        alias="dct:title",
        description="The distribution's name.",
    )
    access_url: RelPath = Field(
        alias="dcat:accessURL", description="The file, relative to the dataset directory."
    )
    media_type: NonEmpty = Field(
        examples=["application/vnd.apache.parquet"],
        alias="dcat:mediaType",
        description="The file's media type.",
    )


class DcatDataset(Open):
    """A `dcat:Dataset` whose identifier is the dataset slug; links to its PROV and STAC."""

    model_config = ConfigDict(title="DCAT dataset record (KFM profile)")

    context: JsonValue = Field(
        alias="@context",
        description="The JSON-LD context: the prefixes `dcat`, `dct`, `foaf` and `kfm`.",
    )
    id_: NonEmpty = Field(
        examples=["https://kfm.example.org/datasets/ks_water_wells"],
        alias="@id",
        description="The record's IRI.",
    )
    type_: Literal["dcat:Dataset"] = Field(alias="@type", description="Always `dcat:Dataset`.")
    identifier: DatasetSlug = Field(
        alias="dct:identifier", description="The dataset slug (gate D checks it matches the spec)."
    )
    title: NonEmpty = Field(
        examples=["Kansas water wells"], alias="dct:title", description="The dataset's name."
    )
    description: NonEmpty = Field(
        examples=["Water wells drilled in Kansas, from the KGS WWC5 database."],
        alias="dct:description",
        description="What the dataset holds.",
    )
    publisher: DcatPublisher = Field(
        alias="dct:publisher", description="Who publishes the dataset."
    )
    license: SpdxExpression = Field(
        alias="dct:license", description="The dataset's SPDX licence; must equal the spec's."
    )
    rights_holder: NonEmpty = Field(
        examples=["Kansas Geological Survey"],
        alias="dct:rightsHolder",
        description="Who holds the rights.",
    )
    policy_label: PolicyLabel = Field(
        alias="kfm:policy_label", description="The dataset's label; must equal the spec's."
    )
    spec: RelPath = Field(
        alias="kfm:spec", description="The spec, relative to the dataset directory."
    )
    prov: RelPath = Field(
        alias="kfm:prov", description="The PROV-JSON lineage, relative to the dataset directory."
    )
    stac: RelPath | None = Field(
        default=None,
        alias="kfm:stac",
        description="The STAC Collection, relative to the dataset directory.",
    )
    distributions: list[DcatDistribution] = Field(
        alias="dcat:distribution", min_length=1, description="The dataset's files."
    )


class StacLink(Open):
    rel: NonEmpty = Field(
        examples=["license", "self"], description="The link's relation, e.g. `license` or `self`."
    )
    href: NonEmpty = Field(
        examples=["https://creativecommons.org/licenses/by/4.0/"], description="The link's target."
    )
    type: str | None = Field(
        examples=["text/html"], default=None, description="The target's media type."
    )


class StacAsset(Open):
    href: RelPath = Field(description="The asset's file, relative to the dataset directory.")
    type: str | None = Field(
        examples=["application/vnd.apache.parquet"],
        default=None,
        description="The asset's media type.",
    )
    roles: list[str] = Field(
        examples=[["data"]], default_factory=list, description="The asset's roles, e.g. `data`."
    )


BBox = Annotated[list[float], Field(min_length=4, max_length=6)]
Interval = Annotated[list[UtcTime | None], Field(min_length=2, max_length=2)]


class StacSpatial(Open):
    bbox: list[BBox] = Field(
        min_length=1, description="Bounding boxes `[west, south, east, north]` in CRS84."
    )


class StacTemporal(Open):
    interval: list[Interval] = Field(
        min_length=1, description="Time intervals `[start, end]` in UTC; null for an open end."
    )


class StacExtent(Open):
    spatial: StacSpatial = Field(description="Where the data lies.")
    temporal: StacTemporal = Field(description="When the data applies.")


class StacCollection(Open):
    """A STAC 1.0 Collection whose `id` is the dataset slug, with its outputs as assets."""

    model_config = ConfigDict(title="STAC Collection (KFM profile)")

    type: Literal["Collection"] = Field(description="Always `Collection`.")
    stac_version: Literal["1.0.0", "1.1.0"] = Field(
        description="The STAC version, `1.0.0` or `1.1.0`."
    )
    id: DatasetSlug = Field(description="The dataset slug.")
    title: NonEmpty = Field(examples=["Kansas water wells"], description="The dataset's name.")
    description: NonEmpty = Field(
        examples=["Water wells drilled in Kansas, from the KGS WWC5 database."],
        description="What the dataset holds.",
    )
    license: NonEmpty = Field(examples=["CC-BY-4.0"], description="The dataset's licence.")
    extent: StacExtent = Field(description="Where and when the data applies.")
    links: list[StacLink] = Field(description="Related resources.")
    assets: dict[str, StacAsset] = Field(min_length=1, description="The dataset's outputs by key.")
    policy_label: PolicyLabel = Field(
        alias="kfm:policy_label", description="The dataset's label; must equal the spec's."
    )


class ProvRecord(Open):
    """One PROV-JSON record (entity, activity, agent or relation): attributes are open."""


class ProvActivity(Open):
    """An activity; `kfm:role` says what it did (`transform`, `redaction`, `qa`, ...)."""

    role: str | None = Field(
        examples=["transform", "redaction", "qa"],
        default=None,
        alias="kfm:role",
        description="What the activity did: `transform`, `redaction`, `qa`, ...",
    )
    label: str | None = Field(
        examples=["Generalise site locations"],
        default=None,
        alias="prov:label",
        description="The activity's name.",
    )


class ProvDocument(Open):
    """A PROV-JSON document: prefixes, entities, activities and the generation/usage relations."""

    model_config = ConfigDict(title="PROV-JSON lineage document (KFM profile)")

    prefix: dict[str, str] = Field(min_length=1, description="Namespace prefixes and their IRIs.")
    entity: dict[str, ProvRecord] = Field(
        min_length=1, description="Entities (inputs, outputs, receipts) by id."
    )
    activity: dict[str, ProvActivity] = Field(
        min_length=1, description="Activities (pipeline steps) by id."
    )
    agent: dict[str, ProvRecord] = Field(
        default_factory=dict, description="Agents (people, services) by id."
    )
    used: dict[str, ProvRecord] = Field(
        default_factory=dict, description="Usage relations: which activity used which entity."
    )
    wasGeneratedBy: dict[str, ProvRecord] = Field(
        min_length=1, description="Generation relations: which activity generated which entity."
    )  # PROV-JSON key names
    wasDerivedFrom: dict[str, ProvRecord] = Field(
        default_factory=dict, description="Derivation relations between entities."
    )
    wasAssociatedWith: dict[str, ProvRecord] = Field(
        default_factory=dict, description="Which agent ran which activity."
    )


def redaction_activities(prov: ProvDocument) -> dict[str, ProvActivity]:
    """Activities recorded as the redaction/generalisation step (`"kfm:role": "redaction"`)."""
    return {key: act for key, act in prov.activity.items() if act.role == "redaction"}


def extra(record: Open) -> dict[str, Any]:
    """The keys of an open record that the profile does not name."""
    return dict(record.model_extra or {})
