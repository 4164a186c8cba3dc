"""`kfm-bot ledger verify`: the ledger's chain, its anchors in git and its promotion records."""

from __future__ import annotations

from pathlib import Path

import click

from kfm_bot.commands.options import repo_option
from kfm_bot.errors import EXIT_FAILED, EXIT_OK


@click.group()
def ledger() -> None:
    """Inspect the append-only audit ledger."""


@ledger.command()
@repo_option
@click.option(
    "--ref", default=None, help="Verify the ledger at this commit (default: working tree)."
)
def verify(repo_dir: Path, ref: str | None) -> int:
    """Find an edited, dropped, reordered, inserted or re-chained ledger line and name it.

    Every line is checked against the `Kfm-Ledger-Line` trailer of the promotion commit and
    the `Ledger-Line` of the tag that recorded it (in the history of --ref, or of HEAD for
    the working tree), and against the manifest it names. Exit 1 on any finding.
    """
    from kfm_bot.git import read
    from kfm_bot.git.gitdir import GitDir
    from kfm_bot.ledger.records import verify_repository
    from kfm_bot.repo.snapshot import CommitSnapshot, Snapshot, WorkTreeSnapshot
    from kfm_bot.report.escape import log_line

    repo = GitDir(repo_dir)
    snapshot: Snapshot = (
        CommitSnapshot(repo, read.resolve(repo, ref)) if ref else WorkTreeSnapshot(repo, repo_dir)
    )
    findings = verify_repository(snapshot)
    for f in findings:
        click.echo(log_line(f"{f.path}:{f.line or 0}: error[{f.rule}] {f.message}"), err=True)
    if not findings:
        click.echo(f"ledger ok ({snapshot.label})")
    return EXIT_FAILED if findings else EXIT_OK
