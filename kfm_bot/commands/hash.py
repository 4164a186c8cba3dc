"""`kfm-bot hash FILE...`: strictly load each YAML file and print its spec_hash."""

from __future__ import annotations

from pathlib import Path

import click

from kfm_bot.commands import hashing


@click.command("hash")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(hashing.HASH_FORMATS),
    default="text",
    show_default=True,
    help="text: hashes on stdout, findings on stderr; github: findings as workflow commands;"
    " json: {files, findings} on stdout; sarif: the findings as SARIF 2.1.0 on stdout.",
)
def hash_command(files: tuple[Path, ...], fmt: str) -> int:
    """Print `sha256:<hex>  FILE` for each file; located findings go to stderr."""
    return hashing.run(files, fmt)
