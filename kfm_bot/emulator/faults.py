"""Fault injection: per-route error answers, rate limits, latency and dropped connections.

A dropped connection comes in two kinds: before the request is carried out (`drop_connection`)
and after it (`drop_after_commit`: the write happened, then the answer was lost), which is
what makes a blind retry of a non-idempotent write create a second object."""

from __future__ import annotations

import fnmatch
import threading
from dataclasses import dataclass


@dataclass
class Fault:
    """What to do instead of (or before) answering a matching request."""

    method: str
    path_pattern: str  # fnmatch pattern on the request path, e.g. "/repos/*/check-runs*"
    status: int | None = None
    times: int = 1  # how many matching requests it affects; -1 means every one
    retry_after: int | None = None
    secondary_rate_limit: bool = False
    latency: float = 0.0
    drop_connection: bool = False
    drop_after_commit: bool = False  # carry the request out (validated as usual), then drop
    # GraphQL's exhausted primary limit: HTTP 200, a RATE_LIMITED error, reset in `retry_after`
    graphql_rate_limited: bool = False
    hits: int = 0

    def matches(self, method: str, path: str) -> bool:
        return self.method in ("*", method) and fnmatch.fnmatchcase(path, self.path_pattern)

    def body(self) -> dict[str, object]:
        docs = "https://docs.github.com/rest"
        if self.graphql_rate_limited:
            limit = {"type": "RATE_LIMITED", "message": "API rate limit exceeded for user ID 1."}
            return {"data": None, "errors": [limit]}
        if self.secondary_rate_limit:
            return {
                "message": "You have exceeded a secondary rate limit. Please wait a few "
                "minutes before you try again.",
                "documentation_url": docs
                + "/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
            }
        if self.status == 429:
            return {"message": "API rate limit exceeded", "documentation_url": docs}
        return {
            "message": "Server Error" if (self.status or 500) >= 500 else "Injected fault",
            "documentation_url": docs,
        }


class Faults:
    """The faults in force; each matching request uses up one `times` of the first match."""

    def __init__(self) -> None:
        self._items: list[Fault] = []
        self._lock = threading.Lock()

    def add(
        self,
        method: str,
        path_pattern: str,
        status: int | None = None,
        times: int = 1,
        retry_after: int | None = None,
        secondary_rate_limit: bool = False,
        latency: float = 0.0,
        drop_connection: bool = False,
        drop_after_commit: bool = False,
        graphql_rate_limited: bool = False,
    ) -> Fault:
        if secondary_rate_limit and status is None:
            status = 403
        if graphql_rate_limited and status is None:
            status = 200
        if drop_after_commit and (drop_connection or status is not None):
            raise ValueError("drop_after_commit answers nothing: no status, no early drop")
        fault = Fault(
            method.upper(),
            path_pattern,
            status,
            times,
            retry_after,
            secondary_rate_limit,
            latency,
            drop_connection,
            drop_after_commit,
            graphql_rate_limited,
        )
        with self._lock:
            self._items.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def take(self, method: str, path: str) -> Fault | None:
        """The fault that applies to this request, counting it as used."""
        with self._lock:
            for fault in self._items:
                if fault.matches(method, path) and (fault.times < 0 or fault.hits < fault.times):
                    fault.hits += 1
                    return fault
        return None
