"""Merges, forks and state files: the git side of the emulator is real git."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from kfm_bot.emulator import Emulator, events
from tests.emulator.conftest import World, client, git, push_branch


def _bare(world: World, *args: str) -> str:
    return git(world.work, "--git-dir", world.emu.git_url("org", "data"), *args)


def _two_commit_pull(world: World, branch: str) -> int:
    git(world.work, "fetch", "-q", "origin")
    git(world.work, "checkout", "-q", "-B", branch, "origin/main")
    push_branch(world.work, branch, {f"{branch}-1.txt": "1\n"}, f"{branch} one")
    push_branch(world.work, branch, {f"{branch}-2.txt": "2\n"}, f"{branch} two")
    return world.emu.open_pull("org", "data", branch, author="alice", title=branch.title())


@pytest.mark.parametrize("method", ["merge", "squash", "rebase"])
def test_merge_methods_make_githubs_history(world: World, method: str) -> None:
    number = _two_commit_pull(world, f"topic-{method}")
    head = world.emu.pull("org", "data", number).head_sha
    old_main = _bare(world, "rev-parse", "main")
    sha = world.emu.merge_pull("org", "data", number, method, by="steward")
    assert _bare(world, "rev-parse", "main") == sha
    parents = _bare(world, "rev-list", "--parents", "-n1", sha).split()[1:]
    if method == "merge":
        assert parents == [old_main, head]
    else:
        assert _bare(world, "rev-parse", f"{sha}^{{tree}}") == _bare(
            world, "rev-parse", f"{head}^{{tree}}"
        )
    if method == "squash":
        assert parents == [old_main]
        assert (
            _bare(world, "log", "-1", "--format=%s", sha) == f"Topic-{method.title()} (#{number})"
        )
    if method == "rebase":
        assert sha != head and _bare(world, "rev-parse", f"{sha}~2") == old_main
        assert _bare(world, "log", "-1", "--format=%s|%cn", sha) == f"topic-{method} two|GitHub"
    pr = client(world.emu, world.bot).get_repo("org/data").get_pull(number)
    assert (pr.merged, pr.state, pr.merge_commit_sha, pr.merged_by.login) == (
        True,
        "closed",
        sha,
        "steward",
    )
    pulls = client(world.emu, world.bot).get_repo("org/data").get_commit(sha).get_pulls()
    assert number in [p.number for p in pulls]


def test_pull_request_from_a_fork(world: World, tmp_path: Path) -> None:
    emu = world.emu
    emu.add_user("mallory")
    fork_url = emu.fork_repo("org", "data", "mallory")
    fork = tmp_path / "fork"
    git(tmp_path, "clone", "-q", fork_url, str(fork))
    sha = push_branch(fork, "evil", {"docs/a.md": "changed\n"}, "from fork")
    number = emu.open_pull("org", "data", "evil", author="mallory", head_owner="mallory")
    repo = client(emu, world.bot).get_repo("org/data")
    pr = repo.get_pull(number)
    assert (pr.head.repo.full_name, pr.head.sha, pr.head.label) == (
        "mallory/data",
        sha,
        "mallory:evil",
    )
    assert [f.filename for f in pr.get_files()] == ["docs/a.md"]
    assert repo.get_contents("docs/a.md", ref=sha).decoded_content == b"changed\n"
    assert _bare(world, "rev-parse", f"refs/pull/{number}/head") == sha
    run = events.workflow_run(emu, "org", "data", number, run_id=5)["workflow_run"]
    assert (run["pull_requests"], run["head_repository"]["full_name"]) == ([], "mallory/data")
    emu.edit_pull("org", "data", number, delete_head_repo=True)
    assert repo.get_pull(number).head.repo is None
    assert [p.head.repo for p in repo.get_pulls() if p.number == number] == [None]


def test_state_survives_a_restart(world: World, tmp_path: Path) -> None:
    emu = world.emu
    review = emu.submit_review("org", "data", world.number, user="steward")
    state = tmp_path / "state.json"
    emu.save_state(state)
    again = Emulator(emu.core.root, state)
    again.start()
    try:
        repo = client(again, world.bot).get_repo("org/data")
        pr = repo.get_pull(world.number)
        assert (pr.title, [r.id for r in pr.get_reviews()]) == ("Add", [review])
        assert repo.get_collaborator_permission("kfm-bot[bot]") == "write"
    finally:
        again.stop()
    assert again.violations == []


def test_create_repo_git_url_is_cloneable(emu: Emulator, tmp_path: Path) -> None:
    url = emu.create_repo("solo", "empty")
    out = subprocess.run(["git", "ls-remote", url], capture_output=True, text=True, check=True)
    assert "refs/heads/main" in out.stdout
    with pytest.raises(ValueError, match="already exists"):
        emu.create_repo("solo", "empty")
