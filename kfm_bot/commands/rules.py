"""`kfm-bot rules`: every rule id the gates report, with what it means and how to fix it."""

from __future__ import annotations

import click


@click.command()
def rules() -> None:
    """Print the rules of gates A-G as a Markdown table (the README embeds it)."""
    from kfm_bot.gates.rule_catalog import markdown_table

    click.echo(markdown_table(), nl=False)
