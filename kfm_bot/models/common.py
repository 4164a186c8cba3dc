"""Shared field types of every KFM document: digests, times, ids, labels, safe relative paths."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints
from pydantic.fields import ComputedFieldInfo, FieldInfo

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


# Each shared type carries `examples`, so every field of that type shows one in an editor's
# hover and completion; what a field *means* is the field's own docstring.
_HEX = "9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a9c0b2d4f6e8a1c3e5b7d9f0a2c4e6b8d0f"


def _eg(*values: object) -> object:
    return Field(examples=list(values))


Digest = Annotated[str, StringConstraints(pattern=DIGEST_PATTERN), _eg(f"sha256:{_HEX}")]
UtcTime = Annotated[
    str,
    StringConstraints(pattern=UTC_TIME_PATTERN),
    AfterValidator(_valid_utc_time),
    _eg("2026-11-04T13:00:00Z"),
]
IsoDate = Annotated[
    str, StringConstraints(pattern=DATE_PATTERN), AfterValidator(_valid_date), _eg("2026-12-31")
]
SourceId = Annotated[str, StringConstraints(pattern=SOURCE_ID_PATTERN), _eg("kgs-water-wells")]
DatasetSlug = Annotated[str, StringConstraints(pattern=DATASET_SLUG_PATTERN), _eg("ks_water_wells")]
Login = Annotated[str, StringConstraints(pattern=LOGIN_PATTERN), _eg("mara-osei")]
BotLogin = Annotated[
    str, StringConstraints(pattern=BOT_LOGIN_PATTERN), _eg("kfm-bot[bot]", "github-actions[bot]")
]
DatasetVersionId = Annotated[
    str, StringConstraints(pattern=DATASET_VERSION_PATTERN), _eg("2026-11.0a1b2c3d")
]
DecisionId = Annotated[
    str, StringConstraints(pattern=DECISION_ID_PATTERN), _eg(f"kfm://policy_decision/{_HEX}")
]
GitSha = Annotated[
    str, StringConstraints(pattern=GIT_SHA_PATTERN), _eg("4f1c2e9a0b7d3c5e8f6a1b2c3d4e5f60718293a4")
]
Principal = Annotated[
    str, StringConstraints(pattern=PRINCIPAL_PATTERN), _eg("github:4410021:mara-osei")
]
Url = Annotated[
    str,
    StringConstraints(pattern=URL_PATTERN, max_length=2048),
    _eg("https://www.kgs.ku.edu/Magellan/WaterWell/"),
]
RelPath = Annotated[
    str,
    StringConstraints(pattern=REL_PATH_PATTERN, max_length=1024),
    _eg("catalog/dcat.json", "qa/report.json"),
]
Text = Annotated[str, StringConstraints(max_length=10_000)]
NonEmpty = Annotated[str, StringConstraints(min_length=1, max_length=1_000)]
SpdxExpression = Annotated[
    str, StringConstraints(min_length=1, max_length=500), _eg("CC-BY-4.0", "CC0-1.0 OR MIT")
]
MediaType = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9.+-]*/[a-z0-9][a-zA-Z0-9.+=; _-]*$"),
    _eg("application/geo+json", "application/vnd.apache.parquet"),
]
ReasonCode = Annotated[str, StringConstraints(pattern=REASON_CODE_PATTERN), _eg("license-unclear")]
PositiveInt = Annotated[int, Field(ge=1, le=2**53 - 1)]
ObjectSize = Annotated[int, Field(ge=0, le=2**53 - 1, examples=[1048576])]
# `<zone>/<key>`: an object in a zone of `policies/storage.yaml` (`processed/wells/v1.parquet`).
ZONE_URI_PATTERN = r"^[a-z][a-z0-9_]{1,31}/" + REL_PATH_PATTERN.removeprefix("^")
ZoneUri = Annotated[
    str,
    StringConstraints(pattern=ZONE_URI_PATTERN, max_length=1024),
    _eg("processed/ks_water_wells/wells.parquet"),
]

PolicyLabel = Literal["public", "internal", "restricted"]
LABEL_ORDER: tuple[PolicyLabel, ...] = ("public", "internal", "restricted")
StewardRole = Literal["data", "sensitivity", "licensing", "policy"]
GENESIS_DIGEST = "sha256:" + "0" * 64


def _model_title(model: type) -> str:
    """`ReceiptInput` -> `Receipt input`: the title editors show in hovers and outlines.

    A document model names its own title (`model_config["title"]`), which wins over this."""
    words = re.findall(r"[A-Z]+(?=[A-Z][a-z]|$)|[A-Z]?[a-z0-9]+", model.__name__)
    text = " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in words)
    return text[:1].upper() + text[1:]


def _field_title(name: str, info: FieldInfo | ComputedFieldInfo) -> str:
    """`dataset_version_id` -> `Dataset version id`; an aliased key shows its key."""
    key = info.alias if isinstance(info, FieldInfo) and info.alias else name
    text = key.strip("_").replace("_", " ")
    return text[:1].upper() + text[1:]


# Descriptions are each field's `Field(description=...)`, not attribute docstrings: pydantic
# reads those from the source with `inspect` when a class is built, which cost every command
# ~65 ms of start-up for ~90 models. tests/test_schema_docs.py keeps every property described.
_SCHEMA_DOCS = ConfigDict(
    model_title_generator=_model_title,
    field_title_generator=_field_title,
)


class Strict(BaseModel):
    """Base of every KFM document model: unknown keys are errors and instances immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, **_SCHEMA_DOCS)


class Open(BaseModel):
    """Base of open-standard records (DCAT, STAC, PROV): the profile's keys plus any others."""

    model_config = ConfigDict(extra="allow", frozen=True, populate_by_name=True, **_SCHEMA_DOCS)
