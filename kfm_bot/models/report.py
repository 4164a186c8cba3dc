"""Gate report v1: the JSON output of `kfm-bot check --format json` (DESIGN section 9)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from kfm_bot.models.common import DatasetSlug, Digest, NonEmpty, Strict


class ReportFinding(Strict):
    """A `kfm_bot.findings.Finding` as JSON; `line` and `column` are 1-based."""

    rule: NonEmpty
    severity: Literal["error", "warning", "notice"]
    message: str
    path: str | None = None
    line: int | None = Field(default=None, ge=1)
    column: int | None = Field(default=None, ge=1)


class GateResult(Strict):
    gate: NonEmpty
    name: NonEmpty
    status: Literal["pass", "fail", "warn", "skip"]
    findings: list[ReportFinding]


class ReportDataset(Strict):
    dataset_slug: DatasetSlug
    spec_hash: Digest | None = None


class GateReport(Strict):
    """Gate report v1; `base`/`head` are the resolved revisions (null head: the working tree).

    `base_ref`/`head_ref` name the refs given or picked (`kfm-bot check` fills them in).
    """

    kfm_gate_report_version: Literal["v1"]
    base: str | None
    head: str | None
    base_ref: str | None = None
    head_ref: str | None = None
    conclusion: Literal["success", "failure", "neutral"]
    datasets: list[ReportDataset]
    gates: list[GateResult]
