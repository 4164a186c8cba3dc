"""GitHub-shaped error answers: documented statuses validate, the rest keep the basic shape."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.emulator.conftest import World, client, git

_POST = "POST"


def _call(world: World, method: str, path: str, body: Any = None, token: str = "") -> int:
    requester = client(world.emu, token or world.bot).requester
    status, _headers, data = requester.requestJson(method, path, input=body)
    answer = json.loads(data) if data else {}
    assert isinstance(answer.get("message"), str)
    return int(status)


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("GET", "/repos/org/data/pulls/99", None, 404),
        ("GET", "/repos/org/nothing", None, 404),
        ("GET", "/users/nobody", None, 404),
        ("GET", "/repos/org/data/contents/missing.txt", None, 404),
        ("GET", "/repos/org/data/git/ref/heads/missing", None, 404),
        ("GET", "/repos/org/data/releases/tags/v9", None, 404),
        ("GET", "/repos/org/data/commits/" + "1" * 40, None, 422),
        (_POST, "/repos/org/data/git/refs", {"ref": "refs/heads/main", "sha": "HEAD"}, 422),
        (_POST, "/repos/org/data/check-runs", {"name": "g", "head_sha": "f" * 40}, 422),
        (_POST, "/repos/org/data/issues/1/comments", {"body": "x" * 70000}, 422),
    ],
)
def test_error_answers_validate(
    world: World, method: str, path: str, body: Any, status: int
) -> None:
    if path.endswith("git/refs"):
        body["sha"] = git(world.work, "rev-parse", "origin/main")
    assert _call(world, method, path, body) == status
    assert world.emu.violations == []


def test_author_cannot_approve_own_pull(world: World) -> None:
    body = {"event": "APPROVE", "body": "mine"}
    assert _call(world, _POST, "/repos/org/data/pulls/1/reviews", body, world.alice) == 422
    assert world.emu.violations == []


def test_release_for_existing_tag_is_422(world: World) -> None:
    repo = client(world.emu, world.bot).get_repo("org/data")
    repo.create_git_release("v1", name="one", message="")
    assert _call(world, _POST, "/repos/org/data/releases", {"tag_name": "v1"}) == 422
    assert world.emu.violations == []


def test_contents_of_symlinks_and_quoted_paths(world: World) -> None:
    (world.work / "dir with space").mkdir()
    (world.work / "dir with space" / "é.txt").write_text("accent\n")
    (world.work / "link").symlink_to("README.md")
    git(world.work, "checkout", "-q", "main")
    git(world.work, "add", "-A")
    git(world.work, "commit", "-qm", "odd names")
    git(world.work, "push", "-q", "origin", "main")
    repo = client(world.emu, world.bot).get_repo("org/data")
    assert repo.get_contents("dir with space/é.txt").decoded_content == b"accent\n"
    listing = repo.get_contents("dir with space")
    assert [(c.name, c.size) for c in listing] == [("é.txt", 7)]
    link = repo.get_contents("link")
    assert link.type == "symlink"
    assert world.emu.violations == []
