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

    path: RelPath | None = None
    uri: ZoneUri | None = None
    source: ZoneUri | None = None
    size: ObjectSize | None = None
    digest: Digest
    media_type: MediaType

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
    path: RelPath
    digest: Digest


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
    report_digest: Digest


class ManifestPolicy(Strict):
    policy_label: PolicyLabel
    decision_id: DecisionId


class Approval(Strict):
    """One counted steward approval.

    `principal` is the string `"github:<numeric user id>:<login>"` (for example
    `"github:4410021:mara-osei"`): the id is what identifies the person, the login is
    kept for readers. `role` is the roster role the approval counted for.
    `approved_at` is the review's submission time.
    """

    role: str = Field(pattern=r"^[a-z][a-z_-]{0,31}$")
    principal: Principal
    approved_at: UtcTime


class PromotionManifest(Strict):
    """Promotion manifest v1: exactly the template's keys; paths relative to the repository root."""

    kfm_promotion_manifest_version: Literal["v1"]
    dataset_slug: DatasetSlug
    dataset_version_id: DatasetVersionId
    spec_hash: Digest
    released_at: UtcTime
    artifacts: list[Artifact] = Field(min_length=1)
    catalogs: list[CatalogRef] = Field(min_length=1)
    qa: QaSummary
    policy: ManifestPolicy
    approvals: list[Approval]


def principal_string(user_id: int, login: str) -> str:
    """The manifest's principal form for a GitHub account."""
    return f"github:{user_id}:{login}"
