"""Shared field types of every KFM document: digests, times, ids, labels, safe relative paths."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from kfm_bot.models.patterns import DATASET_SLUG_PATTERN, REASON_CODE_PATTERN, SOURCE_ID_PATTERN

# Patterns use only constructs that mean the same in Rust regex (pydantic), Python `re`
# (jsonschema) and ECMA-262 (editors): no lookaround, `[0-9]` instead of `\d`.
DIGEST_PATTERN = r"^sha256:[0-9a-f]{64}$"
UTC_TIME_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?Z$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
LOGIN_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}$"
BOT_LOGIN_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}(\[bot\])?$"
DATASET_VERSION_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])\.[0-9a-f]{8}$"
DECISION_ID_PATTERN = r"^kfm://policy_decision/[0-9a-f]{64}$"
GIT_SHA_PATTERN = r"^[0-9a-f]{40}([0-9a-f]{24})?$"
PRINCIPAL_PATTERN = r"^github:[0-9]+:[A-Za-z0-9][A-Za-z0-9-]{0,38}(\[bot\])?$"
URL_PATTERN = r"^https?://[^\s]+$"
# One path segment that is neither empty, "." nor "..", without separators or controls.
_SEGMENT = r"(?:[^/\\.\x00-\x1f]|\.[^/\\.\x00-\x1f]|\.\.[^/\\\x00-\x1f])[^/\\\x00-\x1f]*"
REL_PATH_PATTERN = rf"^{_SEGMENT}(?:/{_SEGMENT})*$"


def _valid_utc_time(value: str) -> str:
    datetime.fromisoformat(value.replace("Z", "+00:00"))  # rejects 2026-02-30T...
    return value


def _valid_date(value: str) -> str:
    date.fromisoformat(value)
    return value


Digest = Annotated[str, StringConstraints(pattern=DIGEST_PATTERN)]
UtcTime = Annotated[
    str, StringConstraints(pattern=UTC_TIME_PATTERN), AfterValidator(_valid_utc_time)
]
IsoDate = Annotated[str, StringConstraints(pattern=DATE_PATTERN), AfterValidator(_valid_date)]
SourceId = Annotated[str, StringConstraints(pattern=SOURCE_ID_PATTERN)]
DatasetSlug = Annotated[str, StringConstraints(pattern=DATASET_SLUG_PATTERN)]
Login = Annotated[str, StringConstraints(pattern=LOGIN_PATTERN)]
BotLogin = Annotated[str, StringConstraints(pattern=BOT_LOGIN_PATTERN)]
DatasetVersionId = Annotated[str, StringConstraints(pattern=DATASET_VERSION_PATTERN)]
DecisionId = Annotated[str, StringConstraints(pattern=DECISION_ID_PATTERN)]
GitSha = Annotated[str, StringConstraints(pattern=GIT_SHA_PATTERN)]
Principal = Annotated[str, StringConstraints(pattern=PRINCIPAL_PATTERN)]
Url = Annotated[str, StringConstraints(pattern=URL_PATTERN, max_length=2048)]
RelPath = Annotated[str, StringConstraints(pattern=REL_PATH_PATTERN, max_length=1024)]
Text = Annotated[str, StringConstraints(max_length=10_000)]
NonEmpty = Annotated[str, StringConstraints(min_length=1, max_length=1_000)]
SpdxExpression = Annotated[str, StringConstraints(min_length=1, max_length=500)]
MediaType = Annotated[
    str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9.+-]*/[a-z0-9][a-zA-Z0-9.+=; _-]*$")
]
ReasonCode = Annotated[str, StringConstraints(pattern=REASON_CODE_PATTERN)]
PositiveInt = Annotated[int, Field(ge=1, le=2**53 - 1)]
ObjectSize = Annotated[int, Field(ge=0, le=2**53 - 1, description="Size in bytes.")]
# `<zone>/<key>`: an object in a zone of `policies/storage.yaml` (`processed/wells/v1.parquet`).
ZONE_URI_PATTERN = r"^[a-z][a-z0-9_]{1,31}/" + REL_PATH_PATTERN.removeprefix("^")
ZoneUri = Annotated[str, StringConstraints(pattern=ZONE_URI_PATTERN, max_length=1024)]

PolicyLabel = Literal["public", "internal", "restricted"]
LABEL_ORDER: tuple[PolicyLabel, ...] = ("public", "internal", "restricted")
StewardRole = Literal["data", "sensitivity", "licensing", "policy"]
GENESIS_DIGEST = "sha256:" + "0" * 64


class Strict(BaseModel):
    """Base of every KFM document model: unknown keys are errors and instances immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Open(BaseModel):
    """Base of open-standard records (DCAT, STAC, PROV): the profile's keys plus any others."""

    model_config = ConfigDict(extra="allow", frozen=True, populate_by_name=True)
