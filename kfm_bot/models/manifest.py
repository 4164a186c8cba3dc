"""Promotion manifest v1: `registry/promotions/<slug>/<version>/promotion_manifest.json`."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field, model_validator

from kfm_bot.models.common import (
    DatasetSlug,
    DatasetVersionId,
    DecisionId,
    Digest,
    MediaType,
    ObjectSize,
    PolicyLabel,
    Principal,
    RelPath,
    Strict,
    UtcTime,
    ZoneUri,
)


class Artifact(Strict):
    """A released artifact: a file in the repository (`path`), or an object promotion published
    (`uri`, `published/sha256/<hex>`: immutable and content-addressed) with the processed
    object it was copied from (`source`) and its `size` in bytes."""

    model_config = ConfigDict(
        json_schema_extra={"oneOf": [{"required": ["path"]}, {"required": ["uri", "source"]}]}
    )

    path: RelPath | None = Field(
        default=None, description="A released repository file, relative to the repository root."
    )
    uri: ZoneUri | None = Field(
        default=None,
        description=(
            "A published object, `published/sha256/<hex>`: immutable and content-addressed."
        ),
    )
    source: ZoneUri | None = Field(
        default=None, description="The processed zone object a published `uri` was copied from."
    )
    size: ObjectSize | None = Field(
        default=None, description="Size of a published object in bytes."
    )
    digest: Digest = Field(description="The artifact's digest.")
    media_type: MediaType = Field(description="The artifact's media type.")

    @model_validator(mode="after")
    def _one_place(self) -> Artifact:
        if self.path is not None and (self.uri, self.source, self.size) != (None, None, None):
            raise ValueError("an artifact is either a `path` or a published `uri` with `source`")
        if self.path is None and (self.uri is None or self.source is None):
            raise ValueError("an artifact needs a `path`, or a published `uri` and its `source`")
        return self

    @property
    def where(self) -> str:
        """The path or the published uri: what names this artifact in the manifest."""
        return self.path or self.uri or ""


class CatalogRef(Strict):
    path: RelPath = Field(
        description=(
            "A catalog record of the version (DCAT, STAC, PROV), relative to the repository root."
        )
    )
    digest: Digest = Field(description="The catalog record's digest.")


class QaSummary(Strict):
    """The QA verdict of the promoted version: only `pass` is ever promoted.

    A manifest records a release, so it can only say `pass`: a QA report whose overall
    status is `warn` or `fail`, or with a failing check, or a receipt whose
    `validation.status` is not `pass`, fails gate E and is refused by promotion. A QA check
    that says `warn` is shown as a warning and does not block (the overall status still has
    to be `pass`).
    """

    status: Literal["pass"] = Field(
        description="Always `pass`: any other QA or validation result is refused by promotion."
    )
    report_digest: Digest = Field(description="The digest of the version's QA report.")


class ManifestPolicy(Strict):
    policy_label: PolicyLabel = Field(description="The label the version is released under.")
    decision_id: DecisionId = Field(description="The policy decision that allowed it.")


class Approval(Strict):
    """One counted steward approval.

    `principal` is the string `"github:<numeric user id>:<login>"` (for example
    `"github:4410021:mara-osei"`): the id is what identifies the person, the login is
    kept for readers. `role` is the roster role the approval counted for.
    `approved_at` is the review's submission time.
    """

    role: str = Field(
        examples=["data", "sensitivity"],
        pattern=r"^[a-z][a-z_-]{0,31}$",
        description="The roster role the approval counted for.",
    )
    principal: Principal = Field(
        description=(
            "`github:<numeric user id>:<login>`: the id identifies the person, the login is for "
            "readers."
        )
    )
    approved_at: UtcTime = Field(description="When the review was submitted (UTC).")


class PromotionManifest(Strict):
    """Promotion manifest v1: exactly the template's keys; paths relative to the repository root."""

    model_config = ConfigDict(title="Promotion manifest")

    kfm_promotion_manifest_version: Literal["v1"] = Field(
        description="The format version; always `v1`."
    )
    dataset_slug: DatasetSlug = Field(description="The dataset released.")
    dataset_version_id: DatasetVersionId = Field(
        description="The version released, `YYYY-MM.<first 8 hex of spec_hash>`."
    )
    spec_hash: Digest = Field(description="The `spec_hash` of the released spec.")
    released_at: UtcTime = Field(description="When promotion released it (UTC).")
    artifacts: list[Artifact] = Field(
        min_length=1, description="The released artifacts and their digests."
    )
    catalogs: list[CatalogRef] = Field(
        min_length=1, description="The version's catalog records and their digests."
    )
    qa: QaSummary = Field(description="The QA verdict; always `pass`.")
    policy: ManifestPolicy = Field(description="The label and the policy decision.")
    approvals: list[Approval] = Field(description="The steward approvals that counted.")


def principal_string(user_id: int, login: str) -> str:
    """The manifest's principal form for a GitHub account."""
    return f"github:{user_id}:{login}"
