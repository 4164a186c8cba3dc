"""The privileged run's one GraphQL read of its head, end to end against the emulator.

The real PyGithub client sends `head_snapshot.QUERY` to the emulator's `POST /graphql`, which
validates it against GitHub's schema (a vendored subset) and answers from the same state the
REST endpoints serve. What a first page cuts short is listed over REST; what GitHub answers
wrong fails closed.
"""

from __future__ import annotations

from typing import Any

import pytest

from kfm_bot.github.interface import CheckOutput
from kfm_bot.github.pygithub_client import PyGithubClient
from tests.github.test_app_identity import FAST, own_run
from tests.github.test_e2e_approvals import APPROVALS, GATES, ok, open_pr
from tests.github.test_e2e_privileged import nc_license
from tests.github.world import World

pytestmark = pytest.mark.slow  # emulator worlds and bot runs: left out of `make test-fast`


def made(world: World, start: int) -> list[tuple[str, str]]:
    return [(r.method, r.path) for r in world.emu.requests[start:]]


def reads(calls: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [c for c in calls if c[0] == "GET" or c == ("POST", "/graphql")]


def test_a_push_is_one_read_and_a_relay_one_read(world: World) -> None:
    number, sha = open_pr(world)
    start = len(world.emu.requests)
    ok(world.workflow_run(number))
    assert reads(made(world, start)) == [("POST", "/graphql")]
    assert len(made(world, start)) <= 4  # + gates, approvals, the stewards asked once
    world.emu.submit_review("org", "data", number, user="mara-osei")
    start = len(world.emu.requests)
    ok(world.workflow_run(number, event="pull_request_review"))
    calls = made(world, start)
    assert reads(calls) == [("POST", "/graphql")] and len(calls) <= 3, calls
    assert world.check_runs(sha)[APPROVALS]["conclusion"] == "success"


def test_a_re_run_reads_the_gates_annotations_and_adds_none_twice(world: World) -> None:
    sha = world.push("plain", nc_license(world), base="main")
    number = world.emu.open_pull("org", "data", "plain", author="alice")
    assert world.workflow_run(number).returncode == 1
    gates = world.check_runs(sha)[GATES]
    notes = len(world.annotations(gates["id"]))
    assert gates["conclusion"] == "failure" and notes > 0
    start = len(world.emu.requests)
    assert world.workflow_run(number).returncode == 1
    assert reads(made(world, start)) == [("POST", "/graphql")]  # the count came with it
    assert len(world.annotations(gates["id"])) == notes


def test_a_hold_past_the_first_100_comments_is_seen(world: World) -> None:
    number, sha = open_pr(world)
    world.emu.submit_review("org", "data", number, user="mara-osei")
    for i in range(101):
        world.emu.add_comment("org", "data", number, user="bob", body=f"chatter {i}")
    # The steward's hold comes last, while the relayed review's privileged run is under way.
    world.emu.add_comment("org", "data", number, user="june-harjo", body="/kfm hold wells")
    start = len(world.emu.requests)
    ok(world.workflow_run(number, event="pull_request_review"))
    calls = made(world, start)
    assert ("GET", f"/repos/org/data/issues/{number}/comments") in calls  # the REST listing
    assert ("GET", f"/repos/org/data/pulls/{number}/reviews") not in calls  # one page held all
    run = world.check_runs(sha)[APPROVALS]
    assert run["conclusion"] == "failure", run["output"]["summary"]
    assert "june-harjo" in run["output"]["summary"]


def test_an_approval_past_the_first_100_reviews_counts(world: World) -> None:
    number, sha = open_pr(world)
    for i in range(100):
        world.emu.submit_review(
            "org", "data", number, user="bob", state="COMMENTED", body=f"nit {i}"
        )
    world.emu.submit_review("org", "data", number, user="mara-osei")
    start = len(world.emu.requests)
    ok(world.workflow_run(number))
    assert ("GET", f"/repos/org/data/pulls/{number}/reviews") in made(world, start)
    assert world.check_runs(sha)[APPROVALS]["conclusion"] == "success"


def _no_pulls(method: str, pattern: str, body: Any) -> Any:
    """GitHub's answer for a commit only a fork holds: no associated pull request."""
    if pattern == "/graphql" and isinstance(body, dict) and body.get("data"):
        found = body["data"]["repository"]["object"]["associatedPullRequests"]
        found["nodes"] = []
    return body


def test_a_commit_no_pull_request_lists_falls_back_to_the_open_pulls(world: World) -> None:
    number, sha = open_pr(world)
    world.emu.submit_review("org", "data", number, user="mara-osei")
    world.emu.response_hook = _no_pulls
    start = len(world.emu.requests)
    done = world.workflow_run(number)
    ok(done)
    calls = made(world, start)
    assert ("GET", "/repos/org/data/pulls") in calls, calls
    assert f"#{number}" in done.stdout
    runs = world.check_runs(sha)
    assert runs[GATES]["conclusion"] == "success"
    assert runs[APPROVALS]["conclusion"] == "success"


def test_a_forged_run_seen_in_the_snapshot_is_reported(world: World) -> None:
    world.use_app()
    number, sha = open_pr(world)
    world.emu.add_collaborator("org", "data", "alice", "write")
    forger = PyGithubClient(world.tokens["alice"], "org/data", world.emu.base_url, FAST)
    fake = forger.create_check_run(sha, GATES, "completed", CheckOutput("ok", "ok"), "success")
    start = len(world.emu.requests)
    done = world.workflow_run(number)
    ok(done)
    assert not [c for c in made(world, start) if c[0] == "GET" and "check-runs" in c[1]]
    assert f"Forged check run reported: run {fake.id} `{GATES}`" in done.stdout
    said = own_run(world, sha, GATES, "kfm-bot")["output"]["summary"]
    assert f"run {fake.id} `{GATES}` was made by `github-actions`" in said


def _errors(method: str, pattern: str, body: Any) -> Any:
    if pattern == "/graphql":
        return {"errors": [{"type": "INTERNAL", "message": "Something went wrong ghp_secret123"}]}
    return body


def _no_comments(method: str, pattern: str, body: Any) -> Any:
    if pattern == "/graphql" and isinstance(body, dict) and body.get("data"):
        for node in body["data"]["repository"]["object"]["associatedPullRequests"]["nodes"]:
            del node["comments"]
    return body


@pytest.mark.parametrize("hook", [_errors, _no_comments], ids=["errors", "missing-field"])
def test_a_graphql_error_or_a_missing_field_fails_closed(world: World, hook: Any) -> None:
    number, sha = open_pr(world)
    world.emu.response_hook = hook
    done = world.workflow_run(number)
    assert done.returncode == 3, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and "ghp_secret123" not in done.stderr
    assert "GraphQL" in done.stderr or "Something went wrong" in done.stderr
    assert world.check_runs(sha) == {}  # nothing posted: no "no hold" read into silence


def test_a_failed_graphql_request_is_retried_like_rest(world: World) -> None:
    number, sha = open_pr(world)
    world.emu.faults.add("POST", "/graphql", status=502, times=1)
    start = len(world.emu.requests)
    ok(world.workflow_run(number))
    tries = [r.status for r in world.emu.requests[start:] if r.path == "/graphql"]
    assert tries == [502, 200]
    assert APPROVALS in world.check_runs(sha)


def test_graphqls_exhausted_rate_limit_waits_for_its_reset_and_retries(world: World) -> None:
    """GitHub answers GraphQL's exhausted primary limit with HTTP 200 and a RATE_LIMITED error
    (PyGithub raises it as status 400): the run waits for x-ratelimit-reset, as for REST's
    exhausted limit, instead of failing."""
    number, sha = open_pr(world)
    world.emu.faults.add("POST", "/graphql", graphql_rate_limited=True, retry_after=1)
    start = len(world.emu.requests)
    ok(world.workflow_run(number))
    tries = [r.status for r in world.emu.requests[start:] if r.path == "/graphql"]
    assert tries == [200, 200]
    assert APPROVALS in world.check_runs(sha)
