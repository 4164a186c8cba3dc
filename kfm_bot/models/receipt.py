"""Run receipt v1: `specs/<slug>/receipts/<run_id>.json`, what one pipeline run read and wrote."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field, model_validator

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

    principal: NonEmpty = Field(
        examples=["svc:pipeline"], description="Who ran the pipeline: a service or person id."
    )
    role: NonEmpty = Field(examples=["pipeline"], description="In what capacity, e.g. `pipeline`.")


class ReceiptInput(Strict):
    """An input, named by a registered `source_id`, a repository `path` and/or a `uri`."""

    source_id: SourceId | None = Field(
        default=None, description="The registered source read, when the input is one."
    )
    path: RelPath | None = Field(
        default=None, description="A repository file read, relative to the repository root."
    )
    uri: NonEmpty | None = Field(
        examples=["https://www.kgs.ku.edu/Magellan/WaterWell/wwc5.zip"],
        default=None,
        description="Where the input was read from, when it is not a repository file.",
    )
    digest: Digest = Field(description="The digest of the bytes read.")
    size: ObjectSize | None = Field(default=None, description="Size of the input in bytes.")

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

    path: RelPath | None = Field(
        default=None, description="A file written, relative to the dataset directory."
    )
    uri: NonEmpty | None = Field(
        examples=["processed/ks_water_wells/wells.parquet"],
        default=None,
        description=(
            "A zone object written, as `<zone>/<key>`; gate E checks it exists with `digest`."
        ),
    )
    digest: Digest = Field(description="The digest of the bytes written.")
    size: ObjectSize | None = Field(
        default=None, description="Size of the output in bytes; gate E checks it when given."
    )
    media_type: MediaType | None = Field(default=None, description="The output's media type.")

    @model_validator(mode="after")
    def _named(self) -> ReceiptOutput:
        if self.path is None and self.uri is None:
            raise ValueError("an output needs a `path` or a `uri`")
        return self


class Environment(Strict):
    container_digest: Digest = Field(description="The digest of the container image the run used.")
    git_commit: str = Field(
        examples=["4f1c2e9"],
        pattern=r"^[0-9a-f]{7,64}$",
        description="The commit of the pipeline code that ran (7 to 64 hex digits).",
    )
    params_digest: Digest = Field(description="The digest of the parameters the run was given.")


class Validation(Strict):
    """The run's validation verdict and the digest of the QA report it wrote."""

    status: Literal["pass", "fail", "warn", "degraded"] = Field(
        description="Only `pass` promotes; `fail`, `warn` and `degraded` fail gate E."
    )
    report_digest: Digest = Field(
        description="The digest of the QA report the run wrote (the spec's `qa` file)."
    )


class ReceiptPolicy(Strict):
    """The template carries only `decision_id`; KFM receipts also name the `policy_label`."""

    policy_label: PolicyLabel | None = Field(
        default=None, description="The label the run's outputs carry."
    )
    decision_id: DecisionId | None = Field(
        default=None, description="The policy decision the run acted under."
    )

    @model_validator(mode="after")
    def _something(self) -> ReceiptPolicy:
        if self.policy_label is None and self.decision_id is None:
            raise ValueError("policy needs a `policy_label` or a `decision_id`")
        return self


class RunReceipt(Strict):
    """Run receipt v1: the template's shape plus `spec_hash`, binding the run to its spec."""

    model_config = ConfigDict(title="Pipeline run receipt")

    # Optional so that the v1 template validates unchanged (it carries no version field);
    # receipts kfm-bot's examples write name it explicitly.
    kfm_run_receipt_version: Literal["v1"] = Field(
        default="v1",
        description="The format version; `v1` (optional, so the v1 template validates unchanged).",
    )
    run_id: str = Field(
        examples=["ks_water_wells-20261104T130000Z"],
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}$",
        description="The run's id, unique per dataset; the receipt's file name is `<run_id>.json`.",
    )
    actor: Actor = Field(description="Who ran the pipeline.")
    operation: NonEmpty = Field(examples=["build"], description="What the run did, e.g. `build`.")
    dataset_version_id: DatasetVersionId = Field(
        description="The dataset version the run produced, `YYYY-MM.<first 8 hex of spec_hash>`."
    )
    spec_hash: Digest = Field(
        description=(
            "The `spec_hash` of the spec the run executed (`kfm-bot hash spec.yaml`); gate E "
            "refuses a receipt of another spec."
        )
    )
    inputs: list[ReceiptInput] = Field(min_length=1, description="What the run read.")
    outputs: list[ReceiptOutput] = Field(min_length=1, description="What the run wrote.")
    environment: Environment = Field(description="What the run ran on.")
    validation: Validation = Field(
        description="The run's validation verdict and its QA report's digest."
    )
    policy: ReceiptPolicy = Field(description="The label and policy decision the run acted under.")
    created_at: UtcTime = Field(description="When the run finished, in UTC (`Z`).")
