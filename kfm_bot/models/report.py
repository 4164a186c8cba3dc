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

    rule: NonEmpty
    severity: Severity
    message: str
    path: str | None = None
    line: int | None = Field(default=None, ge=1)
    column: int | None = Field(default=None, ge=1)


class GateResult(Strict):
    gate: NonEmpty
    name: NonEmpty
    status: GateStatus
    findings: list[ReportFinding]


class ReportDataset(Strict):
    """`status: blocked` (with the quarantined `blocked_by` sources) marks a dataset that
    promotion and export refuse; both fields are absent otherwise, so older v1 reports still
    validate and older readers still read unblocked ones."""

    model_config = ConfigDict(
        json_schema_extra={
            "dependentRequired": {"status": ["blocked_by"], "blocked_by": ["status"]}
        }
    )

    dataset_slug: DatasetSlug
    spec_hash: Digest | None = None
    status: Literal["blocked"] | None = None
    blocked_by: list[NonEmpty] | None = Field(default=None, min_length=1)  # as the spec names them

    @model_validator(mode="after")
    def _blocked_together(self) -> ReportDataset:
        if (self.status is None) != (self.blocked_by is None):
            raise ValueError("`status: blocked` and `blocked_by` go together")
        return self


class GateReport(Strict):
    """Gate report v1; `base`/`head` are the resolved revisions (null head: the working tree).

    `base_ref`/`head_ref` name the refs given or picked (`kfm-bot check` fills them in).
    """

    kfm_gate_report_version: Literal["v1"]
    base: str | None
    head: str | None
    base_ref: str | None = None
    head_ref: str | None = None
    conclusion: Conclusion
    datasets: list[ReportDataset]
    gates: list[GateResult]
