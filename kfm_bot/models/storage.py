"""`policies/storage.yaml`: the zones data moves through, each one a URL of a place for bytes."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

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

    url: str = Field(pattern=ZONE_URL_PATTERN, max_length=1024)
    timeout_s: float = Field(
        default=30.0, gt=0, le=600, description="Seconds one request may take before a retry."
    )
    description: Text = ""


class StoragePolicy(Strict):
    """`policies/storage.yaml`: at least the `processed` and `published` zones, by URL."""

    kfm_storage_version: Literal["v1"]
    zones: dict[ZoneName, ZoneEntry]

    @model_validator(mode="after")
    def _required(self) -> StoragePolicy:
        missing = [name for name in REQUIRED_ZONES if name not in self.zones]
        if missing:
            raise ValueError(f"zones missing: {', '.join(missing)}")
        return self
