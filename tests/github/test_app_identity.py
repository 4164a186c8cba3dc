"""Unforgeable verdicts: the bot as its own GitHub App, forged check runs, sealed carried state.

End to end against the emulator with the real PyGithub client: App tokens are minted with a
JWT the emulator verifies against the App's public key; a check run belongs to the App whose
installation token made it, else to GitHub Actions (any workflow's GITHUB_TOKEN).
"""

from __future__ import annotations

import time
from typing import Any

import github
import jwt
import pytest

from kfm_bot.approvals.check_run_state import state_block
from kfm_bot.approvals.state import ApprovalState, Hold
from kfm_bot.github.identity import FORGEABLE, UNSIGNED
from kfm_bot.github.interface import CheckOutput, GitHubError
from kfm_bot.github.pygithub_client import PyGithubClient, app_client
from kfm_bot.github.retry import RetryPolicy
from tests.github.test_e2e_approvals import APPROVALS, GATES, ok, open_pr
from tests.github.test_e2e_state import comment
from tests.github.world import World

pytestmark = pytest.mark.slow  # emulator worlds and bot runs: left out of `make test-fast`

FAST = RetryPolicy(attempts=2, max_total=5, base_delay=0.05)
STATE_KEY = "s3cret-state-key-for-tests-0123456789"
FORGEABLE_START = "**These verdicts can be forged.**"


def runs_named(world: World, sha: str, name: str) -> list[dict[str, Any]]:
    runs = world.api(f"/repos/org/data/commits/{sha}/check-runs?filter=all")["check_runs"]
    return sorted((r for r in runs if r["name"] == name), key=lambda r: r["id"])


def own_run(world: World, sha: str, name: str, app_slug: str) -> dict[str, Any]:
    [run] = [r for r in runs_named(world, sha, name) if r["app"]["slug"] == app_slug]
    return run


def forged_state(number: int, sha: str, **fields: Any) -> str:
    return state_block(ApprovalState(pr=number, head_sha=sha, **fields))


# minting ---------------------------------------------------------------------------------


def test_app_token_is_minted_and_check_runs_carry_the_app(world: World) -> None:
    app_id = world.use_app()
    client = app_client(
        str(app_id), world.env["KFM_APP_PRIVATE_KEY"], "org/data", world.emu.base_url
    )
    assert (client.identity.app_id, client.identity.slug, client.identity.own_app) == (
        app_id,
        "kfm-bot",
        True,
    )
    sha = world.push("feat", {"docs/notes.md": "notes\n"})
    made = client.create_check_run(sha, GATES, "completed", CheckOutput("t", "s"), "success")
    assert made.app_id == app_id
    assert world.emu.request_count("POST", "/app/installations/") == 1


def test_a_wrong_key_is_refused_and_never_shown(world: World) -> None:
    app_id = world.use_app()
    _, other_key = world.emu.add_app("someone-else", "org")
    with pytest.raises(GitHubError) as caught:
        app_client(str(app_id), other_key, "org/data", world.emu.base_url, FAST)
    assert caught.value.status == 401
    assert "PRIVATE KEY" not in str(caught.value)
    assert world.emu.request_count("POST", "/app/installations/") == 0
    world.emu.violations.clear()


def test_an_expired_jwt_is_refused(world: World) -> None:
    app_id = world.use_app()
    now = int(time.time())
    claims = {"iat": now - 1200, "exp": now - 600, "iss": str(app_id)}
    expired = jwt.encode(claims, world.env["KFM_APP_PRIVATE_KEY"], algorithm="RS256")
    gh = github.Github(auth=github.Auth.AppAuthToken(expired), base_url=world.emu.base_url)
    with pytest.raises(github.GithubException) as caught:  # what GithubIntegration would call
        gh.requester.requestJsonAndCheck("GET", "/repos/org/data/installation")
    assert caught.value.status == 401
    assert "Expiration time" in str(caught.value.data)


def test_a_bad_private_key_is_a_usage_error_without_the_key(world: World) -> None:
    world.env.update({"KFM_APP_ID": "12", "KFM_APP_PRIVATE_KEY": "not-a-key-but-secret-words"})
    number, _ = open_pr(world)
    result = world.run("pull_request", world.pull_event(number))
    assert result.returncode == 2, result.stderr
    assert "KFM_APP_PRIVATE_KEY is not a PEM-encoded RSA private key" in result.stderr
    assert "secret-words" not in result.stdout + result.stderr


# forged check runs -------------------------------------------------------------------------


def test_forged_approvals_success_is_reported_and_never_read_in_app_mode(world: World) -> None:
    world.use_app()
    number, sha = open_pr(world)
    ok(world.workflow_run(number))
    mine = own_run(world, sha, APPROVALS, "kfm-bot")
    assert mine["conclusion"] == "action_required"
    assert FORGEABLE_START not in mine["output"]["summary"]  # App mode: nothing to warn about
    # A workflow on a PR branch, with its GITHUB_TOKEN (the GitHub Actions app), posts a
    # success under the bot's name, carrying a state that holds a made-up hold.
    hold = Hold(source="comment:7", by_id=4410023, by_login="june-harjo", reason="made-up", at=_AT)
    world.emu.add_collaborator("org", "data", "alice", "write")
    forger = PyGithubClient(world.tokens["alice"], "org/data", world.emu.base_url, FAST)
    body = CheckOutput(
        "Steward approvals complete", "all good", forged_state(number, sha, holds=(hold,))
    )
    fake = forger.create_check_run(sha, APPROVALS, "completed", body, "success")
    ok(world.review(number, "mara-osei", state="COMMENTED", body="looking"))
    mine = own_run(world, sha, APPROVALS, "kfm-bot")
    said = mine["output"]["summary"]
    assert (
        f"Forged check run reported: run {fake.id} `{APPROVALS}` was made by `github-actions`"
        in said
    )
    assert "made-up" not in said and mine["conclusion"] == "action_required"
    assert (
        world.api(f"/repos/org/data/check-runs/{fake.id}")["conclusion"] == "success"
    )  # left alone


def test_another_apps_run_under_the_bots_name_is_reported_with_github_token(world: World) -> None:
    number, sha = open_pr(world)
    other_id, key = world.emu.add_app("other-ci", "org")
    world.emu.install_app(other_id, "org")
    other = app_client(str(other_id), key, "org/data", world.emu.base_url, FAST)
    fake = other.create_check_run(sha, GATES, "completed", CheckOutput("ok", "ok"), "success")
    done = world.workflow_run(number)
    ok(done)
    mine = own_run(world, sha, GATES, "github-actions")
    said = mine["output"]["summary"]
    assert f"run {fake.id} `{GATES}` was made by `other-ci` (app id {other_id})" in said
    assert FORGEABLE in said  # GITHUB_TOKEN mode says so in every summary
    assert f"Forged check run reported: run {fake.id}" in done.stdout
    assert FORGEABLE_START in own_run(world, sha, APPROVALS, "github-actions")["output"]["summary"]


# the sealed carried state (GITHUB_TOKEN mode) -----------------------------------------------


def test_edited_state_record_is_ignored_and_reported_with_a_state_key(world: World) -> None:
    world.env["KFM_STATE_KEY"] = STATE_KEY
    number, sha = open_pr(world)
    ok(world.workflow_run(number))
    cid = comment(world, number, "june-harjo", "/kfm hold check the wells first")
    records = [
        c
        for c in world.api(f"/repos/org/data/issues/{number}/comments")
        if "kfm-approvals-state" in c["body"]
    ]
    [record] = records
    assert " hmac-sha256:" in record["body"]
    assert STATE_KEY not in record["body"]
    # Someone with write access edits the record to an unsealed state, and deletes the hold.
    world.emu.edit_comment("org", "data", record["id"], "edited\n\n" + forged_state(number, sha))
    world.emu.delete_comment("org", "data", cid)
    # A review that can change the state makes the bot read the comments again.
    ok(world.review(number, "bob", state="CHANGES_REQUESTED", body="not yet"))
    mine = own_run(world, sha, APPROVALS, "github-actions")
    said = mine["output"]["summary"]
    assert f"comment {record['id']}: ignored an approvals state whose seal does not hold" in said
    assert mine["conclusion"] == "failure", said  # the hold survives in the sealed check run
    assert FORGEABLE in said and UNSIGNED not in said


def test_state_in_a_foreign_check_run_is_ignored_and_reported(world: World) -> None:
    world.env["KFM_STATE_KEY"] = STATE_KEY
    number, sha = open_pr(world)
    ok(world.workflow_run(number))
    world.emu.add_collaborator("org", "data", "alice", "write")
    forger = PyGithubClient(world.tokens["alice"], "org/data", world.emu.base_url, FAST)
    hold = Hold(source="comment:9", by_id=4410023, by_login="june-harjo", reason="made-up", at=_AT)
    body = CheckOutput("t", "s", forged_state(number, sha, holds=(hold,)))
    fake = forger.create_check_run(sha, APPROVALS, "completed", body, "success")
    ok(world.review(number, "tomas-reyes"))
    [run] = [r for r in runs_named(world, sha, APPROVALS) if r["id"] == fake.id]
    said = run["output"]["summary"]  # the bot updated the newest run of its name: the forged one
    assert f"check run {fake.id}: ignored an approvals state whose seal does not hold" in said
    assert "made-up" not in said and run["conclusion"] == "success", said


def test_without_a_state_key_the_summary_says_the_state_is_unsigned(world: World) -> None:
    number, sha = open_pr(world)
    ok(world.workflow_run(number))
    said = own_run(world, sha, APPROVALS, "github-actions")["output"]["summary"]
    assert FORGEABLE in said and UNSIGNED in said


_AT = "2026-01-01T00:00:00Z"
