"""`kfm-bot verify`: check an export pack (folder or .tar.gz) end to end."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("verify")
@click.argument("path", type=click.Path(path_type=Path))
def verify(path: Path) -> None:
    """Print `ok <pack_hash>`, or name the first thing in the pack that does not match."""
    from kfm_bot.export.reader import read_pack
    from kfm_bot.export.verify import verify_pack

    click.echo(f"ok {verify_pack(read_pack(path))}")
