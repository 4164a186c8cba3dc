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
    name: NonEmpty = Field(
        examples=["Kansas Geological Survey"],
        description="Who publishes the source upstream, as they name themselves.",
    )
    url: Url = Field(description="The publisher's home page.")


class Access(Strict):
    """How the source is fetched; `url` may be omitted only for `manual` deliveries."""

    model_config = ConfigDict(
        json_schema_extra={
            "if": {"properties": {"kind": {"enum": ["http", "api", "file"]}}},
            "then": {"required": ["url"]},
        }
    )

    kind: AccessKind = Field(
        description=(
            "How the data is fetched: `http` (a download), `api`, `file` (a shared drive or "
            "bucket) or `manual` (delivered by hand; `url` may then be omitted)."
        )
    )
    url: Url | None = Field(
        default=None,
        description="Where the data is fetched from; required unless `kind` is `manual`.",
    )
    cadence: Cadence = Field(description="How often the upstream publishes a new edition.")

    @model_validator(mode="after")
    def _url_unless_manual(self) -> Access:
        if self.kind != "manual" and self.url is None:
            raise ValueError(f"access of kind `{self.kind}` needs a `url`")
        return self


class SourceLicense(Strict):
    """Licence terms as published. Emptiness of `rights_holder`/`attribution` is gate B's call."""

    spdx: SpdxExpression = Field(
        description=(
            "The licence as an SPDX expression; gate B checks it against `policies/licenses.yaml`."
        )
    )
    url: Url | None = Field(default=None, description="Where the licence terms are published.")
    rights_holder: Text = Field(
        examples=["Kansas Geological Survey"],
        description="Who holds the rights in the data (gate B requires it to be non-empty).",
    )
    attribution: Text = Field(
        examples=["Contains data from the Kansas Geological Survey."],
        description=(
            "The attribution text the licence asks for, reproduced on every derived dataset."
        ),
    )


class Sensitivity(Strict):
    policy_label: PolicyLabel = Field(
        description=(
            "The source's label: `public`, `internal` or `restricted` (policies/labels.yaml). A "
            "dataset may not carry a lower label than any source it reads."
        )
    )
    sensitive_locations: bool = Field(
        description=(
            "True when the data holds locations that must not be published precisely (e.g. "
            "archaeological sites); derived datasets then need a redaction plan."
        )
    )
    notes: Text = Field(
        examples=["Well owners' names are personal data."],
        default="",
        description="Why the label was chosen, for reviewers.",
    )


class Remediation(Strict):
    """Who fixes the quarantine and by when; `due` is a quoted `YYYY-MM-DD` string."""

    owner: Login = Field(description="GitHub login of the person who fixes the quarantine.")
    due: IsoDate = Field(
        description=(
            "The date the fix is due, as a quoted `YYYY-MM-DD` string; past it the quarantine is a"
            " warning, and `grace_days` later an error."
        )
    )


class Quarantine(Strict):
    reason_code: ReasonCode = Field(
        description="Why the source is quarantined: a code listed in `policies/quarantine.yaml`."
    )
    remediation: Remediation = Field(description="Who fixes it and by when.")


class SourceEntry(Strict):
    """Source entry v1. `source_id` must equal the file stem (checked by gate A, not here)."""

    # The model validator below, spelled out for editors that only see the schema.
    model_config = ConfigDict(
        title="Source registry entry",
        json_schema_extra={
            "if": {"properties": {"status": {"const": "quarantined"}}, "required": ["status"]},
            "then": {"required": ["quarantine"]},
            "else": {"not": {"required": ["quarantine"]}},
        },
    )

    kfm_source_version: Literal["v1"] = Field(
        description="The format version of this file; always `v1`."
    )
    source_id: SourceId = Field(
        description="The source's id; must equal the file name without `.yaml`."
    )
    title: NonEmpty = Field(
        examples=["KGS water well records (WWC5)"],
        description="The source's name, as shown to readers.",
    )
    description: Text = Field(
        examples=["Water well completion records filed with the Kansas Geological Survey."],
        default="",
        description="What the source holds, in a few sentences.",
    )
    publisher: Publisher = Field(description="Who publishes the source upstream.")
    access: Access = Field(description="How and how often the data is fetched.")
    license: SourceLicense = Field(description="The licence terms as published upstream.")
    sensitivity: Sensitivity = Field(
        description="How sensitive the source is, which bounds every dataset derived from it."
    )
    stewards: list[Login] = Field(
        min_length=1,
        description=(
            "GitHub logins of the stewards responsible for this source (listed in "
            "`policies/stewards.yaml`)."
        ),
    )
    status: SourceStatus = Field(
        description=(
            "`active`; `quarantined` (datasets reading it are blocked; needs `quarantine`); or "
            "`retired`."
        )
    )
    quarantine: Quarantine | None = Field(
        default=None,
        description=(
            "Why and until when the source is quarantined; present exactly when `status` is "
            "`quarantined`."
        ),
    )

    @model_validator(mode="after")
    def _quarantine_iff_quarantined(self) -> SourceEntry:
        if self.status == "quarantined" and self.quarantine is None:
            raise ValueError("a quarantined source needs a `quarantine` block")
        if self.status != "quarantined" and self.quarantine is not None:
            raise ValueError("`quarantine` is allowed only when status is `quarantined`")
        return self
