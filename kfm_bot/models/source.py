"""Source registry entry v1: one `registry/sources/<source_id>.yaml` per upstream source."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field, model_validator

from kfm_bot.models.common import (
    IsoDate,
    Login,
    NonEmpty,
    PolicyLabel,
    ReasonCode,
    SourceId,
    SpdxExpression,
    Strict,
    Text,
    Url,
)

AccessKind = Literal["http", "api", "file", "manual"]
Cadence = Literal["daily", "weekly", "monthly", "quarterly", "annual", "once", "irregular"]
SourceStatus = Literal["active", "quarantined", "retired"]


class Publisher(Strict):
    name: NonEmpty
    url: Url


class Access(Strict):
    """How the source is fetched; `url` may be omitted only for `manual` deliveries."""

    model_config = ConfigDict(
        json_schema_extra={
            "if": {"properties": {"kind": {"enum": ["http", "api", "file"]}}},
            "then": {"required": ["url"]},
        }
    )

    kind: AccessKind
    url: Url | None = None
    cadence: Cadence

    @model_validator(mode="after")
    def _url_unless_manual(self) -> Access:
        if self.kind != "manual" and self.url is None:
            raise ValueError(f"access of kind `{self.kind}` needs a `url`")
        return self


class SourceLicense(Strict):
    """Licence terms as published. Emptiness of `rights_holder`/`attribution` is gate B's call."""

    spdx: SpdxExpression
    url: Url | None = None
    rights_holder: Text
    attribution: Text


class Sensitivity(Strict):
    policy_label: PolicyLabel
    sensitive_locations: bool
    notes: Text = ""


class Remediation(Strict):
    """Who fixes the quarantine and by when; `due` is a quoted `YYYY-MM-DD` string."""

    owner: Login
    due: IsoDate


class Quarantine(Strict):
    reason_code: ReasonCode
    remediation: Remediation


class SourceEntry(Strict):
    """Source entry v1. `source_id` must equal the file stem (checked by gate A, not here)."""

    # The model validator below, spelled out for editors that only see the schema.
    model_config = ConfigDict(
        json_schema_extra={
            "if": {"properties": {"status": {"const": "quarantined"}}, "required": ["status"]},
            "then": {"required": ["quarantine"]},
            "else": {"not": {"required": ["quarantine"]}},
        }
    )

    kfm_source_version: Literal["v1"]
    source_id: SourceId
    title: NonEmpty
    description: Text = ""
    publisher: Publisher
    access: Access
    license: SourceLicense
    sensitivity: Sensitivity
    stewards: list[Login] = Field(min_length=1)
    status: SourceStatus
    quarantine: Quarantine | None = None

    @model_validator(mode="after")
    def _quarantine_iff_quarantined(self) -> SourceEntry:
        if self.status == "quarantined" and self.quarantine is None:
            raise ValueError("a quarantined source needs a `quarantine` block")
        if self.status != "quarantined" and self.quarantine is not None:
            raise ValueError("`quarantine` is allowed only when status is `quarantined`")
        return self
