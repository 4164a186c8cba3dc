"""KFM profiles of DCAT (JSON-LD), STAC Collection and PROV-JSON: required keys, others allowed.

Every relative path or href in these records is relative to the dataset directory
`specs/<slug>/` (like the spec's own paths), never to the catalog file, and never uses `..`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, JsonValue

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
    name: NonEmpty = Field(alias="foaf:name")


class DcatDistribution(Open):
    type_: Literal["dcat:Distribution"] = Field(alias="@type")
    title: NonEmpty = Field(alias="dct:title")
    access_url: RelPath = Field(alias="dcat:accessURL")
    media_type: NonEmpty = Field(alias="dcat:mediaType")


class DcatDataset(Open):
    """A `dcat:Dataset` whose identifier is the dataset slug; links to its PROV and STAC."""

    context: JsonValue = Field(alias="@context")
    id_: NonEmpty = Field(alias="@id")
    type_: Literal["dcat:Dataset"] = Field(alias="@type")
    identifier: DatasetSlug = Field(alias="dct:identifier")
    title: NonEmpty = Field(alias="dct:title")
    description: NonEmpty = Field(alias="dct:description")
    publisher: DcatPublisher = Field(alias="dct:publisher")
    license: SpdxExpression = Field(alias="dct:license")
    rights_holder: NonEmpty = Field(alias="dct:rightsHolder")
    policy_label: PolicyLabel = Field(alias="kfm:policy_label")
    spec: RelPath = Field(alias="kfm:spec")
    prov: RelPath = Field(alias="kfm:prov")
    stac: RelPath | None = Field(default=None, alias="kfm:stac")
    distributions: list[DcatDistribution] = Field(alias="dcat:distribution", min_length=1)


class StacLink(Open):
    rel: NonEmpty
    href: NonEmpty
    type: str | None = None


class StacAsset(Open):
    href: RelPath
    type: str | None = None
    roles: list[str] = Field(default_factory=list)


BBox = Annotated[list[float], Field(min_length=4, max_length=6)]
Interval = Annotated[list[UtcTime | None], Field(min_length=2, max_length=2)]


class StacSpatial(Open):
    bbox: list[BBox] = Field(min_length=1)


class StacTemporal(Open):
    interval: list[Interval] = Field(min_length=1)


class StacExtent(Open):
    spatial: StacSpatial
    temporal: StacTemporal


class StacCollection(Open):
    """A STAC 1.0 Collection whose `id` is the dataset slug, with its outputs as assets."""

    type: Literal["Collection"]
    stac_version: Literal["1.0.0", "1.1.0"]
    id: DatasetSlug
    title: NonEmpty
    description: NonEmpty
    license: NonEmpty
    extent: StacExtent
    links: list[StacLink]
    assets: dict[str, StacAsset] = Field(min_length=1)
    policy_label: PolicyLabel = Field(alias="kfm:policy_label")


class ProvRecord(Open):
    """One PROV-JSON record (entity, activity, agent or relation): attributes are open."""


class ProvActivity(Open):
    """An activity; `kfm:role` says what it did (`transform`, `redaction`, `qa`, ...)."""

    role: str | None = Field(default=None, alias="kfm:role")
    label: str | None = Field(default=None, alias="prov:label")


class ProvDocument(Open):
    """A PROV-JSON document: prefixes, entities, activities and the generation/usage relations."""

    prefix: dict[str, str] = Field(min_length=1)
    entity: dict[str, ProvRecord] = Field(min_length=1)
    activity: dict[str, ProvActivity] = Field(min_length=1)
    agent: dict[str, ProvRecord] = Field(default_factory=dict)
    used: dict[str, ProvRecord] = Field(default_factory=dict)
    wasGeneratedBy: dict[str, ProvRecord] = Field(min_length=1)  # PROV-JSON key names
    wasDerivedFrom: dict[str, ProvRecord] = Field(default_factory=dict)
    wasAssociatedWith: dict[str, ProvRecord] = Field(default_factory=dict)


def redaction_activities(prov: ProvDocument) -> dict[str, ProvActivity]:
    """Activities recorded as the redaction/generalisation step (`"kfm:role": "redaction"`)."""
    return {key: act for key, act in prov.activity.items() if act.role == "redaction"}


def extra(record: Open) -> dict[str, Any]:
    """The keys of an open record that the profile does not name."""
    return dict(record.model_extra or {})
