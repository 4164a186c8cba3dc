"""QA report v1: `specs/<slug>/qa/report.json`, the checks a dataset version passed."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from kfm_bot.models.common import DatasetSlug, Strict

QaStatus = Literal["pass", "fail", "warn"]


class QaCheck(Strict):
    """One check. `pass` and `skip` are fine, `warn` is a warning that does not block
    promotion, `fail` is a gate E error (even when the report's overall status says `pass`)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_.-]{0,63}$")
    status: Literal["pass", "fail", "warn", "skip"] = Field(
        description="pass | skip: fine; warn: a warning, does not block; fail: blocks promotion."
    )
    detail: str = ""


class QaReport(Strict):
    """The QA report. Only an overall `status` of `pass` promotes: `warn` and `fail` fail gate E."""

    kfm_qa_report_version: Literal["v1"]
    dataset_slug: DatasetSlug
    status: QaStatus = Field(
        description="Overall verdict. Only `pass` promotes; `warn` and `fail` fail gate E."
    )
    checks: list[QaCheck] = Field(min_length=1)
