"""Gate report v1: the JSON output of `kfm-bot check --format json` (DESIGN section 9)."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field, model_validator

from kfm_bot.models.common import DatasetSlug, Digest, NonEmpty, Strict

Severity = Literal["error", "warning", "notice"]
GateStatus = Literal["pass", "fail", "warn", "skip"]
Conclusion = Literal["success", "failure", "neutral"]


class ReportFinding(Strict):
    """A `kfm_bot.findings.Finding` as JSON; `line` and `column` are 1-based."""

    rule: NonEmpty = Field(
        examples=["C.label-downgrade"],
        description="The rule id, e.g. `C.label-downgrade` (`kfm-bot rules` lists them).",
    )
    severity: Severity = Field(description="`error` fails the gate; `warning` and `notice` do not.")
    message: str = Field(
        examples=["the dataset is `public` but its source kgs-water-wells is `internal`"],
        description="What is wrong and how to fix it.",
    )
    path: str | None = Field(
        examples=["specs/ks_water_wells/spec.yaml"],
        default=None,
        description="The repository file at fault, when there is one.",
    )
    line: int | None = Field(
        examples=[12], default=None, ge=1, description="1-based line in `path`."
    )
    column: int | None = Field(
        examples=[15], default=None, ge=1, description="1-based column in `path`."
    )


class GateResult(Strict):
    gate: NonEmpty = Field(examples=["C"], description="The gate's letter, `A` to `G`.")
    name: NonEmpty = Field(examples=["sensitivity"], description="The gate's name.")
    status: GateStatus = Field(description="`pass`, `fail`, `warn` or `skip` (nothing in scope).")
    findings: list[ReportFinding] = Field(description="What the gate found.")


class ReportDataset(Strict):
    """`status: blocked` (with the quarantined `blocked_by` sources) marks a dataset that
    promotion and export refuse; both fields are absent otherwise, so older v1 reports still
    validate and older readers still read unblocked ones."""

    model_config = ConfigDict(
        json_schema_extra={
            "dependentRequired": {"status": ["blocked_by"], "blocked_by": ["status"]}
        }
    )

    dataset_slug: DatasetSlug = Field(description="A dataset the change touches.")
    spec_hash: Digest | None = Field(
        default=None, description="Its `spec_hash` at head, when its spec parses."
    )
    status: Literal["blocked"] | None = Field(
        default=None,
        description=(
            "`blocked` when a source it reads is quarantined: promotion and export refuse it."
        ),
    )
    blocked_by: list[NonEmpty] | None = Field(
        default=None, min_length=1, description="The quarantined sources, as the spec names them."
    )  # as the spec names them

    @model_validator(mode="after")
    def _blocked_together(self) -> ReportDataset:
        if (self.status is None) != (self.blocked_by is None):
            raise ValueError("`status: blocked` and `blocked_by` go together")
        return self


class GateReport(Strict):
    """Gate report v1; `base`/`head` are the resolved revisions (null head: the working tree).

    `base_ref`/`head_ref` name the refs given or picked (`kfm-bot check` fills them in).
    """

    model_config = ConfigDict(title="Gate report (kfm-bot check --format json)")

    kfm_gate_report_version: Literal["v1"] = Field(description="The format version; always `v1`.")
    base: str | None = Field(
        examples=["4f1c2e9a0b7d3c5e8f6a1b2c3d4e5f60718293a4"],
        description="The base commit compared.",
    )
    head: str | None = Field(
        examples=["9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a291807"],
        description="The head commit compared; null for the working tree.",
    )
    base_ref: str | None = Field(
        examples=["origin/main"], default=None, description="The base ref given or picked."
    )
    head_ref: str | None = Field(examples=["HEAD"], default=None, description="The head ref given.")
    conclusion: Conclusion = Field(description="`success`, `failure` or `neutral`.")
    datasets: list[ReportDataset] = Field(description="The datasets the change touches.")
    gates: list[GateResult] = Field(description="Every gate's result, in order.")
