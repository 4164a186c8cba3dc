"""`kfm-bot promote`: turn merges on the default branch into manifests, ledger lines and tags."""

from __future__ import annotations

import os
from pathlib import Path

import click

from kfm_bot.errors import UsageError


@click.command()
@click.option("--repo", "repo_dir", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--commit", default=None, help="Promote merges up to this commit (default: tip).")
@click.option("--dry-run", is_flag=True, help="Validate and print what would be written.")
@click.option("--push", is_flag=True, help="Push the commit and tag to origin (CI).")
@click.option("--release", is_flag=True, help="Also create the GitHub release for each tag.")
@click.option(
    "--approvals",
    "approvals_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Dry run only: check these approvals (JSON list of {role, principal, approved_at}).",
)
def promote(
    repo_dir: Path,
    commit: str | None,
    dry_run: bool,
    push: bool,
    release: bool,
    approvals_file: Path | None,
) -> int:
    """Promote every dataset version merged since the last promotion (DESIGN section 7)."""
    from kfm_bot.promotion.github_host import GitHubPromotionHost
    from kfm_bot.promotion.run import PromoteOptions
    from kfm_bot.promotion.run import promote as run_promote

    token = os.environ.get("GITHUB_TOKEN", "")
    repository = os.environ.get("GITHUB_REPOSITORY", "")
    if approvals_file is not None and not dry_run:
        raise UsageError(
            "--approvals is for --dry-run only: a promotion reads the approvals from GitHub"
        )
    if dry_run and (approvals_file is not None or not token or not repository):
        from kfm_bot.promotion.dry_run import offline_dry_run

        code = offline_dry_run(
            repo_dir.resolve(), commit, approvals_file, push or release, click.echo
        )
        return code
    if not token or not repository:
        raise UsageError(
            "promotion needs GITHUB_TOKEN and GITHUB_REPOSITORY to find each merged pull "
            "request and its approvals"
        )
    from kfm_bot.github.pygithub_client import PyGithubClient

    api = os.environ.get("GITHUB_API_URL") or "https://api.github.com"
    client = PyGithubClient(token, repository, api)
    host = GitHubPromotionHost(client, repo_dir.resolve(), click.echo)
    # Pushing to a protected default branch needs a token allowed to bypass its protection
    # (see README): KFM_PUSH_TOKEN when set, else the workflow's GITHUB_TOKEN.
    push_token = os.environ.get("KFM_PUSH_TOKEN") or token
    opts = PromoteOptions(repo_dir.resolve(), commit, dry_run, push, release, push_token=push_token)
    return run_promote(opts, host, click.echo)
