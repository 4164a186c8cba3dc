"""A pydantic error on an input of the promotion tools, as a sentence a pipeline author acts on.

Shared by the contract (manifest build / validate) and the approvals file, so that the same
mistake reads the same wherever it is made.
"""

from __future__ import annotations

from pydantic_core import ErrorDetails

from kfm_bot.models.common import (
    DATASET_VERSION_PATTERN,
    DIGEST_PATTERN,
    PRINCIPAL_PATTERN,
    REL_PATH_PATTERN,
    UTC_TIME_PATTERN,
)
from kfm_bot.models.patterns import DATASET_SLUG_PATTERN

# Patterns whose regex would tell a pipeline author less than a sentence does.
PATTERN_WORDS = {
    DATASET_SLUG_PATTERN: "must be 3 to 64 characters: a lowercase letter, then lowercase "
    "letters, digits or _",
    DATASET_VERSION_PATTERN: "must be <YYYY-MM>.<8 lowercase hex> (e.g. 2026-02.8fcacf77)",
    DIGEST_PATTERN: "must be sha256:<64 lowercase hex>",
    PRINCIPAL_PATTERN: "must be github:<numeric user id>:<login> (e.g. github:4410021:mara-osei)",
    REL_PATH_PATTERN: "must be a relative path inside the workspace "
    "(no leading /, no empty, . or .. segment, no backslash or control character)",
    UTC_TIME_PATTERN: "must be an RFC 3339 time in UTC with Z (e.g. 2026-02-20T13:00:00Z)",
}


def problem_text(err: ErrorDetails) -> str:
    if err["type"] == "extra_forbidden":
        return "unknown key"
    if err["type"] == "missing":
        return "missing"
    pattern = (err.get("ctx") or {}).get("pattern")
    return PATTERN_WORDS.get(str(pattern), err["msg"]) if pattern else err["msg"]
