"""QA report v1: `specs/<slug>/qa/report.json`, the checks a dataset version passed."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from kfm_bot.models.common import DatasetSlug, Strict

QaStatus = Literal["pass", "fail", "warn"]


class QaCheck(Strict):
    """One check. `pass` and `skip` are fine, `warn` is a warning that does not block
    promotion, `fail` is a gate E error (even when the report's overall status says `pass`)."""

    id: str = Field(
        examples=["schema.valid", "geometry.in_kansas"],
        pattern=r"^[a-z][a-z0-9_.-]{0,63}$",
        description="The check's id, unique within the report.",
    )
    status: Literal["pass", "fail", "warn", "skip"] = Field(
        description="pass | skip: fine; warn: a warning, does not block; fail: blocks promotion."
    )
    detail: str = Field(
        examples=["1,180 of 1,180 features valid"],
        default="",
        description="What the check found, in a sentence.",
    )


class QaReport(Strict):
    """The QA report. Only an overall `status` of `pass` promotes: `warn` and `fail` fail gate E."""

    model_config = ConfigDict(title="QA report")

    kfm_qa_report_version: Literal["v1"] = Field(description="The format version; always `v1`.")
    dataset_slug: DatasetSlug = Field(description="The dataset the report is about.")
    status: QaStatus = Field(
        description="Overall verdict. Only `pass` promotes; `warn` and `fail` fail gate E."
    )
    checks: list[QaCheck] = Field(min_length=1, description="Every check run, with its result.")
