"""How a run reaches GitHub and seals its state, from the workflow's environment.

The privileged and promotion workflows take KFM_APP_ID, KFM_APP_PRIVATE_KEY and KFM_STATE_KEY
from a GitHub Environment that only the default branch may use (see README), so a workflow
on a PR branch can neither act as the bot's App nor seal a state.
"""

from __future__ import annotations

from kfm_bot.approvals.state_seal import MIN_KEY_BYTES, StateSeal
from kfm_bot.errors import UsageError
from kfm_bot.github.interface import GitHubClient


def connect(token: str, repository: str, api_url: str, app_id: str, app_key: str) -> GitHubClient:
    """The bot's own GitHub App when KFM_APP_ID and KFM_APP_PRIVATE_KEY are set, else the
    workflow's GITHUB_TOKEN (GitHub Actions' identity, which every workflow shares)."""
    if bool(app_id) != bool(app_key):
        raise UsageError("set both KFM_APP_ID and KFM_APP_PRIVATE_KEY, or neither")
    if app_id:
        from kfm_bot.github.pygithub_client import app_client

        return app_client(app_id, app_key, repository, api_url)
    if not token:
        raise UsageError("GITHUB_TOKEN is not set; the workflow must pass it to kfm-bot")
    from kfm_bot.github.pygithub_client import PyGithubClient

    return PyGithubClient(token, repository, api_url)


def state_seal(key: str) -> StateSeal | None:
    """The seal over the carried approvals state, from KFM_STATE_KEY (None when unset)."""
    if not key:
        return None
    if len(key.encode("utf-8")) < MIN_KEY_BYTES:
        raise UsageError(f"KFM_STATE_KEY must be at least {MIN_KEY_BYTES} bytes long")
    return StateSeal(key.encode("utf-8"))
