"""Which GitHub failures are worth retrying, and how long GitHub asked us to wait."""

from __future__ import annotations

import time
from collections.abc import Mapping

import requests

from kfm_bot.github.retry import Transient

_SECONDARY = ("secondary rate limit", "abuse detection", "please retry your request again later")


def header(headers: Mapping[str, object] | None, name: str) -> str | None:
    for key, value in (headers or {}).items():
        if key.lower() == name:
            return str(value)
    return None


def _seconds(value: str | None) -> float | None:
    return float(value) if value and value.strip().isdigit() else None


def classify(exc: BaseException) -> Transient | None:
    """5xx, 429, secondary and exhausted primary rate limits, dropped connections; else None.

    Duck-typed on PyGithub's exception (`status`, `headers`, `data`) so that only the adapter
    module imports PyGithub.
    """
    if isinstance(exc, requests.exceptions.ConnectionError | requests.exceptions.Timeout):
        return Transient("the connection failed", unsure=True)
    status = getattr(exc, "status", None)
    if not isinstance(status, int) or not hasattr(exc, "headers"):
        return None
    headers = getattr(exc, "headers", None)
    data = getattr(exc, "data", None)
    retry_after = _seconds(header(headers, "retry-after"))
    message = str(data.get("message", "")).lower() if isinstance(data, dict) else ""
    if status >= 500:
        return Transient(f"status {status}", retry_after, unsure=True)
    if status == 429:
        return Transient("rate limited (429)", retry_after)
    if status == 403 and (retry_after is not None or any(s in message for s in _SECONDARY)):
        return Transient("secondary rate limit", retry_after if retry_after is not None else 60.0)
    if status == 403 and header(headers, "x-ratelimit-remaining") == "0":
        return Transient("rate limit exhausted", _until_reset(headers))
    if _graphql_rate_limited(data):
        # GraphQL's primary limit: HTTP 200 with a RATE_LIMITED error, which PyGithub raises
        # as status 400; the same wait as REST's exhausted limit (x-ratelimit-reset).
        return Transient("GraphQL rate limit exhausted", _until_reset(headers))
    return None


def _until_reset(headers: Mapping[str, object] | None) -> float:
    reset = _seconds(header(headers, "x-ratelimit-reset"))
    return max(reset - time.time(), 1.0) if reset else 60.0


def _graphql_rate_limited(data: object) -> bool:
    errors = data.get("errors") if isinstance(data, dict) else None
    return isinstance(errors, list) and any(
        isinstance(e, dict) and e.get("type") == "RATE_LIMITED" for e in errors
    )
