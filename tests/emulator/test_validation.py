"""Every request and response is checked against GitHub's description; breaches fail loudly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kfm_bot.emulator.testing import SpecViolationError, running_emulator
from tests.emulator.conftest import World, client


def _raw(world: World, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    requester = client(world.emu, world.bot).requester
    status, _headers, data = requester.requestJson(method, path, input=body)
    import json

    return status, json.loads(data) if data else None


def test_malformed_request_is_a_violation(world: World) -> None:
    sha = world.emu.pull("org", "data", world.number).head_sha
    status, body = _raw(
        world,
        "POST",
        "/repos/org/data/check-runs",
        {"name": "g", "head_sha": sha, "status": "done"},
    )
    assert status == 500
    assert "OpenAPI" in body["message"] and "status" in body["violation"]
    assert [v.kind for v in world.emu.violations] == ["request"]
    world.emu.violations.clear()


def test_corrupted_response_is_a_violation(world: World) -> None:
    def corrupt(method: str, pattern: str, body: Any) -> Any:
        if pattern == "/repos/{owner}/{repo}/pulls/{pull_number}":
            body["number"] = "one"  # a string where GitHub sends an integer
        return body

    world.emu.response_hook = corrupt
    status, body = _raw(world, "GET", f"/repos/org/data/pulls/{world.number}")
    assert status == 500 and "number" in body["violation"]
    assert [v.kind for v in world.emu.violations] == ["response"]
    world.emu.violations.clear()


def test_unknown_endpoint_is_a_violation(world: World) -> None:
    status, _ = _raw(world, "GET", "/repos/org/data/branches")
    assert status == 500
    assert "not in the OpenAPI subset" in world.emu.violations[0].message
    world.emu.violations.clear()


def test_running_emulator_fails_the_test_on_violation(tmp_path: Path) -> None:
    with pytest.raises(SpecViolationError, match="violation"), running_emulator(tmp_path) as emu:
        token = emu.add_user("someone")
        client(emu, token).requester.requestJson("GET", "/no/such/endpoint")


def test_unknown_token_is_401_and_writes_need_a_token(world: World) -> None:
    import github

    with pytest.raises(github.BadCredentialsException):
        client(world.emu, "ghs_not_a_token").get_repo("org/data")
    anonymous = github.Github(base_url=world.emu.base_url, seconds_between_requests=0, retry=None)
    repo = anonymous.get_repo("org/data")
    with pytest.raises(github.GithubException) as caught:
        repo.get_issue(world.number).create_comment("hi")
    assert caught.value.status == 401


def test_read_only_token_cannot_write(world: World) -> None:
    import github

    token = world.emu.add_token("kfm-bot[bot]", read_only=True)
    repo = client(world.emu, token).get_repo("org/data")
    with pytest.raises(github.GithubException) as caught:
        repo.create_check_run("gates", repo.get_pull(world.number).head.sha)
    assert caught.value.status == 403


def test_check_run_limits_answer_422_like_github(world: World) -> None:
    sha = world.emu.pull("org", "data", world.number).head_sha
    note = {"path": "a", "start_line": 1, "end_line": 1, "annotation_level": "notice"}
    many = [{**note, "message": str(i)} for i in range(51)]
    output = {"title": "t", "summary": "s", "annotations": many}
    status, body = _raw(
        world,
        "POST",
        "/repos/org/data/check-runs",
        {"name": "g", "head_sha": sha, "output": output},
    )
    assert status == 422 and "50 annotations" in body["message"]
    big = {"title": "t", "summary": "é" * 40000}  # 40,000 characters but 80,000 bytes
    status, body = _raw(
        world, "POST", "/repos/org/data/check-runs", {"name": "g", "head_sha": sha, "output": big}
    )
    assert status == 422 and "65535" in body["message"]
    assert world.emu.violations == []
