"""Fault injection (status, rate limits, latency, dropped connections) and the request log."""

from __future__ import annotations

import http.client
import time
from urllib.parse import urlsplit

import pytest

from tests.emulator.conftest import World, client, git


def _get(world: World, path: str) -> http.client.HTTPResponse:
    url = urlsplit(world.emu.base_url)
    conn = http.client.HTTPConnection(url.hostname or "", url.port, timeout=5)
    conn.request("GET", path, headers={"Authorization": f"token {world.bot}"})
    return conn.getresponse()


def test_status_fault_then_recovery(world: World) -> None:
    world.emu.faults.add("GET", "/repos/org/data/pulls/*", status=502, times=2)
    assert [_get(world, "/repos/org/data/pulls/1").status for _ in range(3)] == [502, 502, 200]


def test_secondary_rate_limit_looks_like_github(world: World) -> None:
    world.emu.faults.add("POST", "/repos/*/check-runs", secondary_rate_limit=True, retry_after=7)
    requester = client(world.emu, world.bot).requester
    status, headers, body = requester.requestJson(
        "POST", "/repos/org/data/check-runs", input={"name": "g", "head_sha": "0" * 40}
    )
    assert status == 403 and headers["retry-after"] == "7"
    assert "You have exceeded a secondary rate limit" in body


def test_429_with_retry_after(world: World) -> None:
    world.emu.faults.add("*", "/rate_limit", status=429, retry_after=1)
    response = _get(world, "/rate_limit")
    assert response.status == 429 and response.getheader("Retry-After") == "1"


def test_latency_and_dropped_connection(world: World) -> None:
    world.emu.faults.add("GET", "/repos/org/data", latency=0.2)
    started = time.monotonic()
    assert _get(world, "/repos/org/data").status == 200
    assert time.monotonic() - started >= 0.2
    world.emu.faults.add("GET", "/repos/org/data", drop_connection=True)
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        _get(world, "/repos/org/data")
    assert world.emu.requests[-1].status is None


def test_request_log_counts(world: World) -> None:
    repo = client(world.emu, world.bot).get_repo("org/data")
    before = world.emu.request_count()
    assert [f.filename for f in repo.get_pull(world.number).get_files()] == ["docs/a.md", "new.txt"]
    assert world.emu.request_count() - before == 2
    assert world.emu.request_count("GET", "/repos/org/data/pulls/1/files") == 1
    last = world.emu.requests[-1]
    assert (last.method, last.status, last.user) == ("GET", 200, "kfm-bot[bot]")
    assert last.duration >= 0


def test_pagination_follows_link_headers(world: World) -> None:
    emu = world.emu
    for i in range(7):
        emu.add_comment("org", "data", world.number, user="alice", body=f"c{i}")
    gh = client(emu, world.bot, per_page=3)
    comments = gh.get_repo("org/data").get_issue(world.number).get_comments()
    assert [c.body for c in comments] == [f"c{i}" for i in range(7)]
    assert emu.request_count("GET", "/repos/org/data/issues/1/comments") == 3
    response = _get(world, "/repos/org/data/issues/1/comments?per_page=3&page=2")
    link = response.getheader("Link") or ""
    assert 'rel="next"' in link and 'rel="prev"' in link and "page=3" in link


def _post(world: World, path: str, body: bytes) -> http.client.HTTPResponse:
    url = urlsplit(world.emu.base_url)
    conn = http.client.HTTPConnection(url.hostname or "", url.port, timeout=5)
    headers = {"Authorization": f"token {world.bot}", "Content-Type": "application/json"}
    conn.request("POST", path, body=body, headers=headers)
    return conn.getresponse()


def test_drop_after_commit_carries_the_write_out_then_loses_the_answer(world: World) -> None:
    repo = client(world.emu, world.bot).get_repo("org/data")
    sha = git(world.work, "rev-parse", "feat")
    world.emu.faults.add("POST", "/repos/org/data/check-runs", drop_after_commit=True)
    body = b'{"name": "g", "head_sha": "%s", "status": "in_progress"}' % sha.encode()
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        _post(world, "/repos/org/data/check-runs", body)
    assert world.emu.requests[-1].status is None  # the client got no answer ...
    assert [r.name for r in repo.get_commit(sha).get_check_runs()] == ["g"]  # ... but it was made
    # Validated like every other request: a body GitHub would refuse is still a violation.
    world.emu.faults.add("POST", "/repos/org/data/check-runs", drop_after_commit=True)
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        _post(world, "/repos/org/data/check-runs", b'{"name": 7, "head_sha": "%s"}' % sha.encode())
    assert [v.kind for v in world.emu.violations] == ["request"]
    world.emu.violations.clear()


def test_drop_after_commit_cannot_also_answer() -> None:
    from kfm_bot.emulator.faults import Faults

    with pytest.raises(ValueError, match="drop_after_commit"):
        Faults().add("POST", "/x", status=502, drop_after_commit=True)
