"""The event a handler receives: the payload and environment of the workflow run, a lazy client."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kfm_bot.approvals.state_seal import StateSeal
from kfm_bot.errors import EXIT_OK, UsageError
from kfm_bot.github.connect import connect, state_seal
from kfm_bot.github.interface import GitHubClient
from kfm_bot.report.escape import log_line

MAX_EVENT_BYTES = 25 * 1024 * 1024  # GitHub caps webhook payloads at 25 MB


@dataclass
class Event:
    """One event as a handler sees it: the payload, the environment, and a lazy API client."""

    name: str
    payload: dict[str, Any]
    repository: str
    workspace: Path
    api_url: str = "https://api.github.com"
    server_url: str = "https://github.com"
    token: str = field(default="", repr=False)
    # The bot's GitHub App (KFM_APP_ID, KFM_APP_PRIVATE_KEY) and the carried state's key
    # (KFM_STATE_KEY): secrets of the environment only the default branch may use.
    app_id: str = ""
    app_key: str = field(default="", repr=False)
    state_key: str = field(default="", repr=False)
    step_summary: Path | None = None
    post: bool = True  # False: the unprivileged run prints, never writes to the API
    say: Callable[[str], None] = print
    _client: GitHubClient | None = field(default=None, repr=False)

    @property
    def action(self) -> str:
        return str(self.payload.get("action") or "")

    def client(self) -> GitHubClient:
        if self._client is None:
            self._client = connect(
                self.token, self.repository, self.api_url, self.app_id, self.app_key
            )
        return self._client

    @property
    def state_seal(self) -> StateSeal | None:
        return state_seal(self.state_key)

    def log(self, text: str) -> None:
        """One log line GitHub can never read as a workflow command."""
        self.say(log_line(text))

    def ignore(self, why: str) -> int:
        self.log(f"kfm-bot: ignored {self.name}{'.' + self.action if self.action else ''}: {why}")
        return EXIT_OK


def _need(env: Mapping[str, str], name: str) -> str:
    value = env.get(name, "")
    if not value:
        raise UsageError(f"{name} is not set; run `kfm-bot action` inside a GitHub Actions job")
    return value


def read_payload(path: Path) -> dict[str, Any]:
    try:
        if path.stat().st_size > MAX_EVENT_BYTES:
            raise UsageError(f"the event payload {path} is larger than {MAX_EVENT_BYTES} bytes")
        data = json.loads(path.read_bytes())
    except OSError:
        raise UsageError(f"cannot read the event payload {path}") from None
    except (ValueError, RecursionError):
        raise UsageError(f"the event payload {path} is not valid JSON") from None
    if not isinstance(data, dict):
        raise UsageError(f"the event payload {path} is not a JSON object")
    return data


def load_event(env: Mapping[str, str], post: bool = True) -> Event:
    payload = read_payload(Path(_need(env, "GITHUB_EVENT_PATH")))
    named = payload.get("repository")
    repo = env.get("GITHUB_REPOSITORY") or str(
        (named.get("full_name") if isinstance(named, dict) else None) or ""
    )
    summary = env.get("GITHUB_STEP_SUMMARY")
    return Event(
        name=_need(env, "GITHUB_EVENT_NAME"),
        payload=payload,
        repository=repo,
        workspace=Path(env.get("GITHUB_WORKSPACE") or Path.cwd()),
        api_url=env.get("GITHUB_API_URL") or "https://api.github.com",
        server_url=env.get("GITHUB_SERVER_URL") or "https://github.com",
        token=env.get("GITHUB_TOKEN", ""),
        app_id=env.get("KFM_APP_ID", "").strip(),
        app_key=env.get("KFM_APP_PRIVATE_KEY", ""),
        state_key=env.get("KFM_STATE_KEY", ""),
        step_summary=Path(summary) if summary else None,
        post=post,
    )
