"""What a use case needs from the event being handled; `kfm_bot.handlers.event.Event` has it.

A Protocol, so that the use cases do not depend on how the workflow's environment is read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from kfm_bot.approvals.state_seal import StateSeal
from kfm_bot.github.interface import GitHubClient


class BotEvent(Protocol):
    @property
    def workspace(self) -> Path:
        """The checkout the bot reads the repository from."""

    @property
    def post(self) -> bool:
        """False: the unprivileged run prints, never writes to the API."""

    @property
    def step_summary(self) -> Path | None:
        """The job summary file ($GITHUB_STEP_SUMMARY), when there is one."""

    @property
    def server_url(self) -> str:
        """Where people read the repository ($GITHUB_SERVER_URL): findings link there."""

    def client(self) -> GitHubClient: ...

    @property
    def state_seal(self) -> StateSeal | None:
        """The seal on the carried approvals state (KFM_STATE_KEY), when the run has the key."""

    def log(self, text: str) -> None:
        """One log line GitHub can never read as a workflow command."""
