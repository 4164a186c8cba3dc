"""`kfm-bot diff`: the semantic diff per dataset and source, as the approvals check shows it."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kfm_bot.commands.options import repo_option
from kfm_bot.errors import EXIT_OK


@click.command()
@repo_option
@click.option(
    "--base", default=None, help="Base ref (default: merge-base with the default branch)."
)
@click.option("--head", default=None, help="Head ref (default: the working tree).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="text: lines for a terminal; json: one document; markdown: what the PR comment shows.",
)
def diff(repo_dir: Path, base: str | None, head: str | None, fmt: str) -> int:
    """What changed in meaning per dataset and source: licence, label, sources, redaction,
    transforms, outputs, stewards; each with its severity and the steward roles it needs."""
    from kfm_bot.app.semantic_diff import diff_change
    from kfm_bot.approvals.diff_render import RENDERERS

    sys.stdout.write(RENDERERS[fmt](diff_change(repo_dir, base, head)))
    return EXIT_OK
