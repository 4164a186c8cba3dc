"""`kfm-bot promote`: turn merges on the default branch into manifests, ledger lines and tags."""

from __future__ import annotations

import os
from pathlib import Path

import click

from kfm_bot.commands.options import repo_option


@click.command()
@repo_option
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
    from kfm_bot.app.promote import GitHubAccess
    from kfm_bot.app.promote import promote as run_promote

    access = GitHubAccess.from_env(os.environ)
    code = run_promote(
        repo_dir,
        commit,
        access,
        click.echo,
        dry_run=dry_run,
        push=push,
        release=release,
        approvals_file=approvals_file,
    )
    return code  # the exit code is the answer
