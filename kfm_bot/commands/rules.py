"""`kfm-bot rules`: every rule id the gates report, with what it means and how to fix it."""

from __future__ import annotations

import click

from kfm_bot.errors import EXIT_OK


@click.command()
def rules() -> int:
    """Print the rules of gates A-G as a Markdown table (the README embeds it)."""
    from kfm_bot.gates.rule_catalog import markdown_table

    click.echo(markdown_table(), nl=False)
    return EXIT_OK
