"""Webhook payloads from the emulator's state, and the emulator command."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from kfm_bot.emulator import Emulator, events
from kfm_bot.emulator.events import ZERO, write_event
from tests.emulator.conftest import World, git, push_branch


def test_pull_request_events(world: World, tmp_path: Path) -> None:
    emu = world.emu
    before = emu.pull("org", "data", world.number).head_sha
    push_branch(world.work, "feat", {"z.txt": "z\n"}, "more")
    sync = events.pull_request(emu, "org", "data", world.number, "synchronize", before=before)
    assert (sync["action"], sync["number"], sync["before"]) == ("synchronize", 1, before)
    assert (
        sync["after"] == sync["pull_request"]["head"]["sha"] == git(world.work, "rev-parse", "feat")
    )
    assert sync["repository"]["full_name"] == "org/data" and sync["sender"]["login"] == "alice"
    edited = events.pull_request(
        emu, "org", "data", 1, "edited", changes={"title": {"from": "Old"}}
    )
    assert edited["changes"] == {"title": {"from": "Old"}}
    for action in ("opened", "reopened", "ready_for_review", "closed"):
        assert events.pull_request(emu, "org", "data", 1, action)["action"] == action
    path = write_event(sync, tmp_path / "event.json")
    assert json.loads(path.read_text())["pull_request"]["number"] == 1


def test_review_comment_and_workflow_run_events(world: World) -> None:
    emu = world.emu
    review = emu.submit_review("org", "data", 1, user="steward", state="CHANGES_REQUESTED")
    payload = events.pull_request_review(emu, "org", "data", 1, review)
    assert payload["review"]["state"] == "changes_requested"
    assert payload["review"]["user"]["login"] == "steward"
    emu.dismiss_review("org", "data", 1, review)
    dismissed = events.pull_request_review(emu, "org", "data", 1, review, "dismissed")
    assert dismissed["review"]["state"] == "dismissed"
    comment = emu.add_comment("org", "data", 1, user="steward", body="/kfm approve")
    created = events.issue_comment(emu, "org", "data", comment)
    assert created["issue"]["pull_request"]["url"].endswith("/pulls/1")
    assert created["comment"]["body"] == "/kfm approve"
    removed = emu.delete_comment("org", "data", comment)
    deleted = events.issue_comment(emu, "org", "data", comment, "deleted", deleted=removed)
    assert deleted["action"] == "deleted"
    run = events.workflow_run(emu, "org", "data", 1, run_id=77)
    assert run["workflow_run"]["pull_requests"][0]["number"] == 1
    assert run["workflow_run"]["head_sha"] == emu.pull("org", "data", 1).head_sha


def test_push_event_after_merge(world: World) -> None:
    emu = world.emu
    old = git(world.work, "rev-parse", "origin/main")
    sha = emu.merge_pull("org", "data", 1, "squash", by="steward")
    payload = events.push(emu, "org", "data", "refs/heads/main", old, pusher="steward")
    assert (payload["before"], payload["after"], payload["created"]) == (old, sha, False)
    assert payload["head_commit"]["id"] == sha
    assert sorted(payload["head_commit"]["added"]) == ["new.txt"]
    assert payload["head_commit"]["modified"] == ["docs/a.md"]
    created = events.push(emu, "org", "data", "refs/heads/main", ZERO, pusher="steward")
    assert created["created"] is True


def test_emulator_command_serves_and_saves_state(tmp_path: Path) -> None:
    from kfm_bot.commands import emulator as command

    stop = threading.Event()
    state = tmp_path / "state.json"
    stop.set()  # serve, print, then stop at once
    assert command.run(tmp_path / "root", state, 0, True, stop) == 0
    saved = json.loads(state.read_text())
    assert {u["login"] for u in saved["users"]} >= {"kfm-bot[bot]", "steward"}
    again = Emulator(tmp_path / "root", state)
    assert again.core.find_user("steward") is not None
