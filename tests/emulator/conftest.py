"""Fixtures for the emulator tests: a running emulator with users, a repository and a PR."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kfm_bot.emulator import Emulator
from kfm_bot.emulator.testing import running_emulator
from tests import gitrepo

# The shared test git environment, committing as Alice at the real time (the emulator
# orders reviews and commits by time).
GIT_ENV = {
    **{k: v for k, v in gitrepo.GIT_ENV.items() if not k.endswith("_DATE")},
    "GIT_AUTHOR_NAME": "Alice",
    "GIT_AUTHOR_EMAIL": "alice@users.noreply.github.com",
    "GIT_COMMITTER_NAME": "Alice",
    "GIT_COMMITTER_EMAIL": "alice@users.noreply.github.com",
}


def git(cwd: Path, *args: str) -> str:
    return gitrepo.git(cwd, *args, env=GIT_ENV)


def client(emu: Emulator, token: str, **options: Any) -> Any:
    import github

    options.setdefault("retry", None)
    return github.Github(
        auth=github.Auth.Token(token),
        base_url=emu.base_url,
        seconds_between_requests=0,
        seconds_between_writes=0,
        **options,
    )


@dataclass
class World:
    emu: Emulator
    work: Path  # a clone of org/data
    bot: str  # token with write access
    alice: str
    steward: str
    number: int  # open PR from alice:feat


def push_branch(work: Path, branch: str, files: dict[str, str], message: str = "change") -> str:
    git(work, "checkout", "-q", "-B", branch)
    for name, text in files.items():
        path = work / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", message)
    git(work, "push", "-q", "--force", "origin", f"{branch}:{branch}")
    return git(work, "rev-parse", "HEAD")


@pytest.fixture
def emu(tmp_path: Path) -> Iterator[Emulator]:
    with running_emulator(tmp_path) as running:
        yield running


@pytest.fixture
def world(emu: Emulator, tmp_path: Path) -> World:
    src = tmp_path / "src"
    (src / "docs").mkdir(parents=True)
    (src / "README.md").write_text("hello\n")
    (src / "docs" / "a.md").write_text("a\n")
    bot = emu.add_user("kfm-bot[bot]", type="Bot")
    alice, steward = emu.add_user("alice"), emu.add_user("steward")
    url = emu.create_repo("org", "data", source_dir=src)
    emu.add_collaborator("org", "data", "kfm-bot[bot]", "write")
    work = tmp_path / "work"
    git(tmp_path, "clone", "-q", url, str(work))
    push_branch(work, "feat", {"new.txt": "x\ny\n", "docs/a.md": "a\nb\n"}, "add new")
    number = emu.open_pull("org", "data", "feat", author="alice", title="Add", body="Body")
    return World(emu, work, bot, alice, steward, number)
