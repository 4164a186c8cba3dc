"""A GitHub emulator holding the example content, a clone to push from, and event runners."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from kfm_bot.emulator import Emulator
from kfm_bot.emulator.testing import running_emulator
from tests.gitrepo import GIT_ENV, git, init_example_repo

STEWARDS = {  # as in policies/stewards.yaml
    "mara-osei": 4410021,
    "tomas-reyes": 4410022,
    "june-harjo": 4410023,
    "ike-lindqvist": 4410024,
    "noor-haddad": 4410025,
}
BOT = ("kfm-bot[bot]", 4410099)


@dataclass
class World:
    emu: Emulator
    tmp: Path
    work: Path  # the contributor's clone
    checkout: Path  # the default-branch checkout the bot runs in (GITHUB_WORKSPACE)
    bot: str
    tokens: dict[str, str] = field(default_factory=dict)

    def api(self, path: str) -> Any:
        """Read the emulator as GitHub would answer (for building event payloads)."""
        answer = requests.get(
            self.emu.base_url + path,
            headers={"Authorization": f"token {self.bot}"},
            timeout=10,
        )
        answer.raise_for_status()
        return answer.json()

    def push(self, branch: str, files: dict[str, str | None], message: str = "change") -> str:
        git(self.work, "checkout", "-q", "-B", branch)
        for name, text in files.items():
            path = self.work / name
            if text is None:
                git(self.work, "rm", "-q", name)
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        git(self.work, "add", "-A")
        git(self.work, "commit", "-q", "-m", message)
        git(self.work, "push", "-q", "--force", "origin", f"{branch}:{branch}")
        return git(self.work, "rev-parse", "HEAD")

    def pull_event(self, number: int, action: str = "opened", **extra: Any) -> dict[str, Any]:
        pr = self.api(f"/repos/org/data/pulls/{number}")
        return {
            "action": action,
            "number": number,
            "pull_request": pr,
            "repository": self.api("/repos/org/data"),
            **extra,
        }

    def run(
        self,
        name: str,
        payload: dict[str, Any],
        *args: str,
        token: str | None = None,
        workspace: Path | None = None,
    ) -> subprocess.CompletedProcess[str]:
        event = self.tmp / f"event-{len(list(self.tmp.glob('event-*')))}.json"
        event.write_text(json.dumps(payload))
        summary = self.tmp / "step-summary.md"
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GIT_"))},
            **GIT_ENV,
            "GITHUB_EVENT_NAME": name,
            "GITHUB_EVENT_PATH": str(event),
            "GITHUB_TOKEN": self.bot if token is None else token,
            "GITHUB_REPOSITORY": "org/data",
            "GITHUB_API_URL": self.emu.base_url,
            "GITHUB_WORKSPACE": str(workspace or self.checkout),
            "GITHUB_STEP_SUMMARY": str(summary),
        }
        return run_action(env, args)

    def check_runs(self, sha: str) -> dict[str, dict[str, Any]]:
        runs = self.api(f"/repos/org/data/commits/{sha}/check-runs")["check_runs"]
        return {r["name"]: r for r in runs}

    def annotations(self, run_id: int) -> list[dict[str, Any]]:
        return self.api(f"/repos/org/data/check-runs/{run_id}/annotations?per_page=100")


def run_action(env: dict[str, str], args: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    """`kfm-bot action` in-process is not isolated enough: run it as the workflow would."""
    exe = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "kfm-bot"
    return subprocess.run(
        [str(exe), "action", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def make_world(emu: Emulator, tmp: Path) -> World:
    src = init_example_repo(tmp / "src")
    bot = emu.add_user(BOT[0], BOT[1], type="Bot")
    tokens = {"alice": emu.add_user("alice", 5550001), "bob": emu.add_user("bob", 5550002)}
    for login, uid in STEWARDS.items():
        tokens[login] = emu.add_user(login, uid)
    url = emu.create_repo("org", "data", source_dir=src)
    emu.add_collaborator("org", "data", BOT[0], "write")
    work, checkout = tmp / "work", tmp / "checkout"
    for where in (work, checkout):
        subprocess.run(["git", "clone", "-q", url, str(where)], env=GIT_ENV, check=True)
    git(work, "config", "user.name", "Alice")
    git(work, "config", "user.email", "alice@users.noreply.github.com")
    return World(emu, tmp, work, checkout, bot, tokens)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    with running_emulator(tmp_path) as emu:
        yield make_world(emu, tmp_path)
