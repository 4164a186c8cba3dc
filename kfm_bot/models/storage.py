"""`policies/storage.yaml`: the zones data moves through, each one a URL of a place for bytes."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints, model_validator

from kfm_bot.models.common import Strict, Text

# `file://zones/processed` is relative to the repository, `file:///srv/kfm/processed` absolute;
# `s3://bucket/prefix` any S3-compatible store. Credentials never appear in a URL: no `@`, no
# query. The endpoint and keys come only from the AWS_* environment variables.
ZONE_URL_PATTERN = (
    r"^(file://(/?[A-Za-z0-9._~-][A-Za-z0-9._~/-]*)"
    r"|s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/[A-Za-z0-9._~/-]*)?)$"
)
ZONE_NAME_PATTERN = r"^[a-z][a-z0-9_]{1,31}$"
REQUIRED_ZONES = ("processed", "published")

ZoneName = Annotated[str, StringConstraints(pattern=ZONE_NAME_PATTERN)]


class ZoneEntry(Strict):
    """One zone: where its objects live, and how long one request may take."""

    url: str = Field(
        examples=["file://zones/processed", "s3://kfm-published/datasets"],
        pattern=ZONE_URL_PATTERN,
        max_length=1024,
        description=(
            "Where the zone's objects live: `file://` (relative to the repository, or absolute) or"
            " `s3://bucket/prefix`. Never credentials: they come from the AWS_* environment "
            "variables."
        ),
    )
    timeout_s: float = Field(
        examples=[30.0],
        default=30.0,
        gt=0,
        le=600,
        description="Seconds one request may take before a retry.",
    )
    description: Text = Field(
        examples=["Objects pipelines write, before promotion."],
        default="",
        description="What the zone holds, for readers.",
    )


class StoragePolicy(Strict):
    """`policies/storage.yaml`: at least the `processed` and `published` zones, by URL."""

    model_config = ConfigDict(title="Policy: storage zones")

    kfm_storage_version: Literal["v1"] = Field(
        description="The format version of this file; always `v1`."
    )
    zones: dict[ZoneName, ZoneEntry] = Field(
        description="Every zone by name; `processed` and `published` are required."
    )

    @model_validator(mode="after")
    def _required(self) -> StoragePolicy:
        missing = [name for name in REQUIRED_ZONES if name not in self.zones]
        if missing:
            raise ValueError(f"zones missing: {', '.join(missing)}")
        return self
