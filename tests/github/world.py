"""A GitHub emulator world: example content, a clone to push from, and `kfm-bot action` runs.

Shared by tests/github, tests/promotion (their conftests import the `world` fixture from here)
and benchmarks/bench_economy.py."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import requests

from kfm_bot.emulator import Emulator
from kfm_bot.emulator.testing import running_emulator
from tests.cli import KFM_BOT, measured
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
    env: dict[str, str] = field(default_factory=dict)  # more for every run (App, state key)

    def use_app(self, slug: str = "kfm-bot") -> int:
        """Install a GitHub App on `org` and run the bot as it from now on; its id."""
        app_id, key = self.emu.add_app(slug, "org")
        self.emu.install_app(app_id, "org")
        self.env.update({"KFM_APP_ID": str(app_id), "KFM_APP_PRIVATE_KEY": key})
        return app_id

    def api(self, path: str) -> Any:
        """Read the emulator as GitHub would answer (for building event payloads)."""
        answer = requests.get(
            self.emu.base_url + path,
            headers={"Authorization": f"token {self.bot}"},
            timeout=10,
        )
        answer.raise_for_status()
        return answer.json()

    def push(
        self,
        branch: str,
        files: Mapping[str, str | None],
        message: str = "change",
        author: str = "alice",
        committer: str | None = None,
        base: str | None = None,
    ) -> str:
        """Commit `files` (None deletes) on `branch` (from `base` when given) and push it."""
        env = {
            **GIT_ENV,
            **identity("AUTHOR", author),
            **identity("COMMITTER", committer or author),
        }
        if base is not None:
            git(self.work, "checkout", "-q", "-B", branch, base, env=env)
        else:
            git(self.work, "checkout", "-q", "-B", branch, env=env)
        for name, text in files.items():
            path = self.work / name
            if text is None:
                git(self.work, "rm", "-q", name, env=env)
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        git(self.work, "add", "-A", env=env)
        git(self.work, "commit", "-q", "-m", message, env=env)
        git(self.work, "push", "-q", "--force", "origin", f"{branch}:{branch}", env=env)
        return git(self.work, "rev-parse", "HEAD", env=env)

    def pull_event(self, number: int, action: str = "opened", **extra: Any) -> dict[str, Any]:
        from kfm_bot.emulator import events

        return events.pull_request(self.emu, "org", "data", number, action, **extra)

    def review(
        self,
        number: int,
        user: str,
        state: str = "APPROVED",
        body: str = "",
        commit_id: str | None = None,
    ) -> subprocess.CompletedProcess[str]:
        """A review submitted on GitHub, then the `pull_request_review` event it fires."""
        from kfm_bot.emulator import events

        rid = self.emu.submit_review(
            "org", "data", number, user=user, state=state, body=body, commit_id=commit_id
        )
        payload = events.pull_request_review(self.emu, "org", "data", number, rid)
        return self.run("pull_request_review", payload)

    def workflow_run(
        self, number: int, event: str = "pull_request"
    ) -> subprocess.CompletedProcess[str]:
        """The privileged run after the unprivileged one finished for PR `number`."""
        from kfm_bot.emulator import events

        payload = events.workflow_run(self.emu, "org", "data", number, run_id=900 + number)
        payload["workflow_run"]["event"] = event
        return self.run("workflow_run", payload)

    def run(
        self,
        name: str,
        payload: dict[str, Any],
        *args: str,
        token: str | None = None,
        workspace: Path | None = None,
        isolated: bool = False,
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
            **self.env,
        }
        return run_action(env, args, isolated)

    def check_runs(self, sha: str) -> dict[str, dict[str, Any]]:
        runs = self.api(f"/repos/org/data/commits/{sha}/check-runs")["check_runs"]
        return {r["name"]: r for r in runs}

    def annotations(self, run_id: int) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for page in range(1, 20):
            path = f"/repos/org/data/check-runs/{run_id}/annotations?per_page=100&page={page}"
            batch = self.api(path)
            found.extend(batch)
            if len(batch) < 100:
                break
        return found


def identity(role: str, login: str) -> dict[str, str]:
    """Git identity whose e-mail GitHub links to `login` (an unknown login links to nobody)."""
    return {f"GIT_{role}_NAME": login, f"GIT_{role}_EMAIL": f"{login}@users.noreply.github.com"}


def as_user(login: str) -> dict[str, str]:
    """The test git environment committing as `login`, author and committer both."""
    return {**GIT_ENV, **identity("AUTHOR", login), **identity("COMMITTER", login)}


def run_action(
    env: dict[str, str], args: tuple[str, ...] = (), isolated: bool = False
) -> subprocess.CompletedProcess[str]:
    """`kfm-bot action` with exactly `env`: in-process (fast), or as its own process."""
    if isolated:
        return subprocess.run(
            [*KFM_BOT, "action", *args],
            env=measured(env),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    from kfm_bot.cli import main

    out, err = io.StringIO(), io.StringIO()
    code: int | str | None = 0
    with (
        mock.patch.dict(os.environ, env, clear=True),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        try:
            main(["action", *args])
        except SystemExit as exc:
            code = exc.code
    return subprocess.CompletedProcess(
        ["kfm-bot", "action", *args],
        code if isinstance(code, int) else 2,
        out.getvalue(),
        err.getvalue(),
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
    """A running emulator holding the example content, for one test."""
    with running_emulator(tmp_path) as emu:
        yield make_world(emu, tmp_path)
