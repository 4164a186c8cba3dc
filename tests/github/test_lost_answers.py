"""Retried writes after a lost answer: the write happened, the connection dropped, the bot retries.

The emulator carries the request out and then drops the connection (`drop_after_commit`); the
real PyGithub client sees a dropped connection and retries. A retried non-idempotent write must
find what the lost answer created instead of creating a second one.
"""

from __future__ import annotations

from typing import Any

import pytest

from kfm_bot.github.interface import Annotation, CheckOutput
from kfm_bot.github.pygithub_client import PyGithubClient, app_client
from kfm_bot.github.retry import RetryPolicy
from tests.github.world import World

pytestmark = pytest.mark.slow  # subprocesses or emulator worlds: left out of `make test-fast`

GATES = "kfm-bot / gates"
FAST = RetryPolicy(attempts=3, max_total=5, base_delay=0.05)


def all_runs(world: World, sha: str, name: str) -> list[dict[str, Any]]:
    """Every run of that name, duplicates included (GitHub's default listing hides them)."""
    runs = world.api(f"/repos/org/data/commits/{sha}/check-runs?filter=all")["check_runs"]
    return [r for r in runs if r["name"] == name]


def client(world: World) -> PyGithubClient:
    return PyGithubClient(world.bot, "org/data", world.emu.base_url, FAST)


def open_pull(world: World) -> tuple[str, int]:
    sha = world.push("feat", {"docs/notes.md": "notes\n"}, "notes")
    return sha, world.emu.open_pull("org", "data", "feat", author="alice")


def test_lost_answer_on_create_check_run_leaves_one_completed_run(world: World) -> None:
    sha, number = open_pull(world)
    world.emu.faults.add("POST", "/repos/org/data/check-runs", drop_after_commit=True)
    done = world.run("pull_request", world.pull_event(number))
    assert done.returncode == 0, done.stdout + done.stderr
    runs = all_runs(world, sha, GATES)
    assert [r["status"] for r in runs] == ["completed"]
    assert world.emu.request_count("POST", "/repos/org/data/check-runs") == 1  # never repeated


def test_a_healthy_rerun_closes_the_duplicate_an_older_bot_left(world: World) -> None:
    sha, number = open_pull(world)
    api = client(world)
    # What an older bot left after a lost answer: its first run stuck, the retry's run done.
    stuck = api.create_check_run(sha, GATES, "in_progress", CheckOutput("Running", "…"))
    done = api.create_check_run(sha, GATES, "completed", CheckOutput("Old", "old"), "success")
    assert world.run("pull_request", world.pull_event(number)).returncode == 0
    runs = {r["id"]: r for r in all_runs(world, sha, GATES)}
    assert sorted(runs) == sorted([stuck.id, done.id])  # no third run
    assert runs[done.id]["status"] == "completed" and runs[done.id]["output"]["title"] != "Old"
    assert (runs[stuck.id]["status"], runs[stuck.id]["conclusion"]) == ("completed", "cancelled")
    assert f"check run {done.id}" in runs[stuck.id]["output"]["summary"]


def test_rerun_leaves_another_apps_run_of_the_same_name_alone(world: World) -> None:
    sha, number = open_pull(world)
    other_id, key = world.emu.add_app("other-ci", "org")
    world.emu.install_app(other_id, "org")
    other = app_client(str(other_id), key, "org/data", world.emu.base_url, FAST)
    foreign = other.create_check_run(sha, GATES, "in_progress", CheckOutput("Mine", "mine"))
    client(world).create_check_run(sha, GATES, "in_progress", CheckOutput("Running", "…"))
    assert world.run("pull_request", world.pull_event(number)).returncode == 0
    runs = {r["id"]: r for r in all_runs(world, sha, GATES)}
    assert runs[foreign.id]["status"] == "in_progress"  # not the bot's to close
    assert world.emu.request_count("PATCH", f"/repos/org/data/check-runs/{foreign.id}") == 0


def test_lost_answer_on_an_annotated_update_adds_its_annotations_once(world: World) -> None:
    sha, _ = open_pull(world)
    api = client(world)
    run = api.create_check_run(sha, GATES, "in_progress", CheckOutput("Running", "…"))
    notes = [
        Annotation(
            path="docs/notes.md",
            start_line=1,
            end_line=1,
            annotation_level="notice",
            message=f"note {i}",
            title="note",
        )
        for i in range(3)
    ]
    world.emu.faults.add("PATCH", f"/repos/org/data/check-runs/{run.id}", drop_after_commit=True)
    output = CheckOutput("Done", "d", "", notes)
    after = api.update_check_run(run.id, "completed", output, "neutral")
    assert after.annotations_count == 3
    assert len(world.annotations(run.id)) == 3


def test_lost_answer_on_create_release_gives_the_one_release(world: World) -> None:
    api = client(world)
    head = world.push("main", {"docs/notes.md": "notes\n"}, "notes")
    api.create_tag("demo/v1", "demo v1\n", head, {"name": "kfm-bot", "email": "bot@example.org"})
    world.emu.faults.add("POST", "/repos/org/data/releases", drop_after_commit=True)
    release_id = api.create_release("demo/v1", "demo/v1", "body")
    releases = world.api("/repos/org/data/releases")
    assert [r["id"] for r in releases] == [release_id]


def test_lost_answer_on_create_tag_ref_adopts_the_ref(world: World) -> None:
    api = client(world)
    head = world.push("main", {"docs/notes.md": "notes\n"}, "notes")
    world.emu.faults.add("POST", "/repos/org/data/git/refs", drop_after_commit=True)
    tag_sha = api.create_tag(
        "demo/v2", "demo v2\n", head, {"name": "kfm-bot", "email": "bot@example.org"}
    )
    ref = world.api("/repos/org/data/git/ref/tags/demo/v2")
    assert ref["object"]["sha"] == tag_sha
    assert world.emu.request_count("POST", "/repos/org/data/git/refs") == 1


def test_lost_answer_on_asset_upload_uploads_once(world: World) -> None:
    api = client(world)
    head = world.push("main", {"docs/notes.md": "notes\n"}, "notes")
    api.create_tag("demo/v3", "demo v3\n", head, {"name": "kfm-bot", "email": "bot@example.org"})
    api.create_release("demo/v3", "demo/v3", "body")
    release = api.get_release_by_tag("demo/v3")
    world.emu.faults.add("POST", "*/assets*", drop_after_commit=True)
    api.upload_asset(release, "m.json", b"{}", "application/json")
    assert api.get_release_by_tag("demo/v3").assets == ("m.json",)
