"""Run receipt v1: `specs/<slug>/receipts/<run_id>.json`, what one pipeline run read and wrote."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from kfm_bot.models.common import (
    DatasetVersionId,
    DecisionId,
    Digest,
    MediaType,
    NonEmpty,
    ObjectSize,
    PolicyLabel,
    RelPath,
    SourceId,
    Strict,
    UtcTime,
)


class Actor(Strict):
    """Who ran it, as in the v1 template: `{"principal": "svc:pipeline", "role": "pipeline"}`."""

    principal: NonEmpty
    role: NonEmpty


class ReceiptInput(Strict):
    """An input, named by a registered `source_id`, a repository `path` and/or a `uri`."""

    source_id: SourceId | None = None
    path: RelPath | None = None
    uri: NonEmpty | None = None
    digest: Digest
    size: ObjectSize | None = None

    @model_validator(mode="after")
    def _named(self) -> ReceiptInput:
        if self.source_id is None and self.path is None and self.uri is None:
            raise ValueError("an input needs a `source_id`, a `path` or a `uri`")
        return self


class ReceiptOutput(Strict):
    """An output; `path` is relative to the spec directory (the template's `uri` also accepted).

    A `uri` of the form `<zone>/<key>` (`processed/ks_water_wells/wells.parquet`) names an
    object in a zone of `policies/storage.yaml`; gate E checks it exists with this digest and,
    when given, this `size` in bytes."""

    path: RelPath | None = None
    uri: NonEmpty | None = None
    digest: Digest
    size: ObjectSize | None = None
    media_type: MediaType | None = None

    @model_validator(mode="after")
    def _named(self) -> ReceiptOutput:
        if self.path is None and self.uri is None:
            raise ValueError("an output needs a `path` or a `uri`")
        return self


class Environment(Strict):
    container_digest: Digest
    git_commit: str = Field(pattern=r"^[0-9a-f]{7,64}$")
    params_digest: Digest


class Validation(Strict):
    """The run's validation verdict and the digest of the QA report it wrote."""

    status: Literal["pass", "fail", "warn", "degraded"] = Field(
        description="Only `pass` promotes; `fail`, `warn` and `degraded` fail gate E."
    )
    report_digest: Digest


class ReceiptPolicy(Strict):
    """The template carries only `decision_id`; KFM receipts also name the `policy_label`."""

    policy_label: PolicyLabel | None = None
    decision_id: DecisionId | None = None

    @model_validator(mode="after")
    def _something(self) -> ReceiptPolicy:
        if self.policy_label is None and self.decision_id is None:
            raise ValueError("policy needs a `policy_label` or a `decision_id`")
        return self


class RunReceipt(Strict):
    """Run receipt v1: the template's shape plus `spec_hash`, binding the run to its spec."""

    # Optional so that the v1 template validates unchanged (it carries no version field);
    # receipts kfm-bot's examples write name it explicitly.
    kfm_run_receipt_version: Literal["v1"] = "v1"
    run_id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}$")
    actor: Actor
    operation: NonEmpty
    dataset_version_id: DatasetVersionId
    spec_hash: Digest
    inputs: list[ReceiptInput] = Field(min_length=1)
    outputs: list[ReceiptOutput] = Field(min_length=1)
    environment: Environment
    validation: Validation
    policy: ReceiptPolicy
    created_at: UtcTime
