"""QA report v1: `specs/<slug>/qa/report.json`, the checks a dataset version passed."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from kfm_bot.models.common import DatasetSlug, Strict

QaStatus = Literal["pass", "fail", "warn"]


class QaCheck(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_.-]{0,63}$")
    status: Literal["pass", "fail", "warn", "skip"]
    detail: str = ""


class QaReport(Strict):
    kfm_qa_report_version: Literal["v1"]
    dataset_slug: DatasetSlug
    status: QaStatus
    checks: list[QaCheck] = Field(min_length=1)
