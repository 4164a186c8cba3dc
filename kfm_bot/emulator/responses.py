"""What the emulator answers and logs: answers, GitHub-shaped errors and faults, log records."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from kfm_bot.emulator.core import DOCS, ApiError
from kfm_bot.emulator.faults import Fault

# GitHub sends these on every answer; the emulator never runs out unless a fault says so.
RATE_HEADERS = {
    "X-RateLimit-Limit": "5000",
    "X-RateLimit-Remaining": "4999",
    "X-RateLimit-Reset": "4102444800",
    "X-RateLimit-Used": "1",
    "X-RateLimit-Resource": "core",
}


@dataclass
class Answer:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)

    def encoded(self) -> bytes:
        return json.dumps(self.body, separators=(",", ":")).encode("utf-8")


@dataclass
class RequestRecord:
    """What the request log keeps of one request."""

    method: str
    path: str
    query: dict[str, str]
    status: int | None  # None when the connection was dropped
    user: str | None
    duration: float


def error_answer(exc: ApiError) -> Answer:
    body: dict[str, Any] = {
        "message": exc.message,
        "documentation_url": DOCS,
        "status": str(exc.status),
    }
    if exc.errors is not None:
        body["errors"] = exc.errors
    return Answer(exc.status, body)


def fault_answer(fault: Fault) -> Answer:
    headers: dict[str, str] = {}
    if fault.retry_after is not None:
        headers["Retry-After"] = str(fault.retry_after)
    if fault.secondary_rate_limit or fault.status == 429:
        headers["X-RateLimit-Remaining"] = "0" if fault.status == 429 else "4999"
    if fault.graphql_rate_limited:
        headers["X-RateLimit-Remaining"] = "0"
        headers["X-RateLimit-Reset"] = str(int(time.time()) + (fault.retry_after or 1))
    return Answer(fault.status or 500, fault.body(), headers)
