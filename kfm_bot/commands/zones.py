"""`kfm-bot zones audit`: stray and missing objects of the published zone."""

from __future__ import annotations

from pathlib import Path

import click

from kfm_bot.commands.options import repo_option
from kfm_bot.errors import EXIT_FAILED, EXIT_OK


@click.group()
def zones() -> None:
    """Inspect the zones of policies/storage.yaml."""


@zones.command()
@repo_option
@click.option("--ref", default=None, help="Manifests at this commit (default: the default branch).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: one line per object; json: one document.",
)
def audit(repo_dir: Path, ref: str | None, fmt: str) -> int:
    """List stray objects (in `published`, named by no promotion manifest) and missing ones
    (named by a manifest, absent or with other bytes). Exit 1 if there is any."""
    from kfm_bot.app.zones_audit import audit as run_audit

    result = run_audit(repo_dir, ref)
    click.echo(result.to_json() if fmt == "json" else result.to_text())
    return EXIT_OK if result.clean else EXIT_FAILED
