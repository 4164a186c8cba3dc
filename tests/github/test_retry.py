"""The retry loop's bounds on a fake clock: count, total time, Retry-After, refusals."""

from __future__ import annotations

import pytest

from kfm_bot.github.retry import GaveUp, RetryPolicy, Transient, call_with_retries


class Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def __call__(self) -> float:
        return self.now


def failing(times: int, transient: Transient | None):  # type: ignore[no-untyped-def]
    calls = {"n": 0}

    def func() -> str:
        calls["n"] += 1
        if calls["n"] <= times:
            raise RuntimeError("boom")
        return "ok"

    return func, calls, (lambda exc: transient)


def test_backoff_doubles_and_succeeds() -> None:
    clock = Clock()
    func, calls, classify = failing(3, Transient("status 502"))
    policy = RetryPolicy(attempts=5, max_total=100, base_delay=1, max_delay=30)
    assert call_with_retries(func, classify, policy, clock.sleep, clock) == "ok"
    assert clock.sleeps == [1, 2, 4] and calls["n"] == 4


def test_attempts_bound() -> None:
    clock = Clock()
    func, calls, classify = failing(99, Transient("status 503"))
    with pytest.raises(GaveUp) as caught:
        call_with_retries(func, classify, RetryPolicy(attempts=3), clock.sleep, clock)
    assert calls["n"] == 3 and caught.value.attempts == 3


def test_total_time_bound_counts_the_next_sleep() -> None:
    clock = Clock()
    func, calls, classify = failing(99, Transient("429", retry_after=20))
    with pytest.raises(GaveUp):
        call_with_retries(
            func, classify, RetryPolicy(attempts=10, max_total=50), clock.sleep, clock
        )
    assert clock.sleeps == [20, 20] and clock.now <= 50 and calls["n"] == 3


def test_retry_after_replaces_backoff() -> None:
    clock = Clock()
    func, _, classify = failing(1, Transient("secondary", retry_after=7))
    call_with_retries(func, classify, RetryPolicy(base_delay=1), clock.sleep, clock)
    assert clock.sleeps == [7]


def test_refusals_propagate_at_once() -> None:
    clock = Clock()
    func, calls, classify = failing(5, None)
    with pytest.raises(RuntimeError):
        call_with_retries(func, classify, RetryPolicy(), clock.sleep, clock)
    assert calls["n"] == 1 and clock.sleeps == []


class FakeGithubError(Exception):
    def __init__(self, status: int, headers: dict[str, str], message: str = "") -> None:
        super().__init__(message)
        self.status, self.headers, self.data = status, headers, {"message": message}


@pytest.mark.parametrize(
    ("status", "headers", "message", "retried", "wait"),
    [
        (502, {}, "Bad gateway", True, None),
        (429, {"Retry-After": "3"}, "", True, 3.0),
        (403, {}, "You have exceeded a secondary rate limit", True, 60.0),
        (403, {"retry-after": "5"}, "whatever", True, 5.0),
        (403, {"X-RateLimit-Remaining": "0"}, "API rate limit exceeded", True, 60.0),
        (403, {}, "Resource not accessible by integration", False, None),
        (404, {}, "Not Found", False, None),
        (422, {}, "Validation Failed", False, None),
    ],
)
def test_classify(
    status: int, headers: dict[str, str], message: str, retried: bool, wait: float | None
) -> None:
    from kfm_bot.github.transient import classify

    found = classify(FakeGithubError(status, headers, message))
    assert (found is not None) == retried
    if found is not None:
        assert found.retry_after == wait
    assert classify(ValueError("x")) is None


def test_a_write_looks_for_its_lost_result_only_when_the_failure_may_hide_one() -> None:
    looked: list[str] = []

    def recover() -> str | None:
        looked.append("look")
        return "found"

    clock = Clock()
    func, calls, classify = failing(1, Transient("the connection failed", unsure=True))
    assert call_with_retries(func, classify, RetryPolicy(), clock.sleep, clock, recover) == "found"
    assert calls["n"] == 1 and looked == ["look"]  # adopted: the write is not repeated
    func, calls, classify = failing(1, Transient("rate limited (429)", retry_after=1))
    assert call_with_retries(func, classify, RetryPolicy(), clock.sleep, clock, recover) == "ok"
    assert calls["n"] == 2 and looked == ["look"]  # a refused request made nothing: no look-up
