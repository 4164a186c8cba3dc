"""Bounded retries for GitHub calls: which failures to retry, how long to wait, when to stop."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

_TOKEN = re.compile(
    r"(gh[pousr]_[A-Za-z0-9_]{8,}|github_pat_[A-Za-z0-9_]{8,}|ghs_emu[0-9a-f]+)"
    r"|((?:token|bearer|basic)\s+)[^\s'\"]+",
    re.IGNORECASE,
)


def scrub(text: str, secrets: tuple[str, ...] = ()) -> str:
    """Text with every token it may carry replaced by `***`."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return _TOKEN.sub(lambda m: (m.group(2) or "") + "***", text)


@dataclass(frozen=True)
class Transient:
    """A failure worth retrying, with how long the server asked us to wait (if it did)."""

    what: str
    retry_after: float | None = None
    unsure: bool = False  # the server may have carried the request out (lost answer, 5xx)


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5  # total tries, the first one included
    max_total: float = 60.0  # seconds, sleeps included; never exceeded by a sleep
    base_delay: float = 1.0
    max_delay: float = 30.0

    def delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return max(retry_after, 0.0)
        return float(min(self.base_delay * (2 ** (attempt - 1)), self.max_delay))


class GaveUp(Exception):
    def __init__(self, last: Transient, attempts: int) -> None:
        super().__init__(last.what)
        self.last = last
        self.attempts = attempts


def call_with_retries(
    func: Callable[[], T],
    classify: Callable[[BaseException], Transient | None],
    policy: RetryPolicy,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    recover: Callable[[], T | None] | None = None,
) -> T:
    """Run func; retry transient failures within the policy's count and total time, else GaveUp.

    `recover`, for a non-idempotent write: after a failure that may hide a success (`unsure`),
    it looks for what the lost answer created and, when it finds it, that is the result; a
    blind retry would create a second one. Only this retry path costs the extra look-up.
    """
    start = clock()
    attempt = 0
    while True:
        attempt += 1
        try:
            return func()
        except Exception as exc:
            transient = classify(exc)
            if transient is None:
                raise
            wait = policy.delay(attempt, transient.retry_after)
            if attempt >= policy.attempts or clock() - start + wait > policy.max_total:
                raise GaveUp(transient, attempt) from None
            sleep(wait)
            if recover is not None and transient.unsure:
                found = recover()
                if found is not None:
                    return found
