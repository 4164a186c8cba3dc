"""`kfm-bot hash FILE...`: strictly load each YAML file and print its spec_hash."""

from __future__ import annotations

from pathlib import Path

import click

from kfm_bot.commands import hashing


@click.command("hash")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def hash_command(files: tuple[Path, ...]) -> int:
    """Print `sha256:<hex>  FILE` for each file; located findings go to stderr."""
    return hashing.run(files)
