"""`kfm-bot verify`: check an export pack (folder or .tar.gz) end to end."""

from __future__ import annotations

from pathlib import Path

import click

from kfm_bot.errors import EXIT_OK


@click.command("verify")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--repo",
    "repo_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also check the pack against this repository's ledger, manifest and release tag.",
)
@click.option("--ref", default="HEAD", show_default=True, help="Commit whose ledger is trusted.")
def verify(path: Path, repo_dir: Path | None, ref: str) -> int:
    """Print `ok <pack_hash>`, or name the first thing in the pack that does not match."""
    from kfm_bot.app.export import verify_pack

    verified = verify_pack(path, repo_dir, ref)
    if verified.binding is None:
        click.echo(f"ok {verified.pack_hash}")
        # Self-consistency alone cannot catch a forger who recomputed every digest.
        click.echo(
            "note: checked against itself only, not against a repository; "
            "pass --repo DIR to check it against the ledger and release tag",
            err=True,
        )
        return EXIT_OK
    found = verified.binding
    click.echo(f"ok {verified.pack_hash}")
    click.echo(
        f"matches {repo_dir}: ledger line {found.ledger_seq}, tag {found.tag}, "
        f"promotion commit {found.commit[:12]}"
    )
    return EXIT_OK
