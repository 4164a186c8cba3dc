"""Promote every dataset version merged since the last promotion (DESIGN section 7).

One use case for `kfm-bot promote` and for the push to the default branch that `kfm-bot
action` handles: on GitHub when it can be reached, else (a dry run) offline from a file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from kfm_bot.errors import UsageError


@dataclass(frozen=True)
class GitHubAccess:
    """How promotion reaches GitHub, as the workflow's environment gives it."""

    token: str = field(repr=False)
    repository: str
    api_url: str
    # Pushing to a protected default branch needs a token allowed to bypass its protection
    # (see README): KFM_PUSH_TOKEN when set, else the workflow's GITHUB_TOKEN.
    push_token: str = field(repr=False)
    app_id: str = ""  # the bot's GitHub App (see kfm_bot/github/connect.py)
    app_key: str = field(default="", repr=False)
    state_key: str = field(default="", repr=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> GitHubAccess:
        token = env.get("GITHUB_TOKEN", "")
        return cls(
            token=token,
            repository=env.get("GITHUB_REPOSITORY", ""),
            api_url=env.get("GITHUB_API_URL") or "https://api.github.com",
            push_token=env.get("KFM_PUSH_TOKEN") or token,
            app_id=env.get("KFM_APP_ID", "").strip(),
            app_key=env.get("KFM_APP_PRIVATE_KEY", ""),
            state_key=env.get("KFM_STATE_KEY", ""),
        )


def promote(
    repo_dir: Path,
    commit: str | None,
    access: GitHubAccess,
    say: Callable[[str], None],
    *,
    dry_run: bool = False,
    push: bool = False,
    release: bool = False,
    approvals_file: Path | None = None,
) -> int:
    """The exit code: EXIT_OK when everything merged is promoted (or would be, dry)."""
    if approvals_file is not None and not dry_run:
        raise UsageError(
            "--approvals is for --dry-run only: a promotion reads the approvals from GitHub"
        )
    if dry_run and (approvals_file is not None or not access.token or not access.repository):
        from kfm_bot.promotion.dry_run import offline_dry_run

        return offline_dry_run(repo_dir.resolve(), commit, approvals_file, push or release, say)
    if not access.token or not access.repository:
        raise UsageError(
            "promotion needs GITHUB_TOKEN and GITHUB_REPOSITORY to find each merged pull "
            "request and its approvals"
        )
    from kfm_bot.app.github_promotion import GitHubPromotionHost
    from kfm_bot.github.connect import connect, state_seal
    from kfm_bot.promotion.run import PromoteOptions
    from kfm_bot.promotion.run import promote as run_promote

    client = connect(access.token, access.repository, access.api_url, access.app_id, access.app_key)
    host = GitHubPromotionHost(client, repo_dir.resolve(), say, state_seal(access.state_key))
    opts = PromoteOptions(
        repo_dir.resolve(), commit, dry_run, push, release, push_token=access.push_token
    )
    return run_promote(opts, host, say)
