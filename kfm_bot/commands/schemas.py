"""`kfm-bot schemas`: write `schemas/*.schema.json` from the models, or `--check` for drift."""

from __future__ import annotations

from pathlib import Path

import click

from kfm_bot.commands.options import repo_option
from kfm_bot.errors import EXIT_OK, GateFailure


@click.command("schemas")
@repo_option
@click.option("--check", is_flag=True, help="Change nothing; exit 1 if a schema drifted.")
def schemas(repo_dir: Path, check: bool) -> int:
    """Generate the JSON Schemas of every document from the bot's models."""
    from kfm_bot.models import json_schemas

    directory = repo_dir / json_schemas.SCHEMA_DIR
    if check:
        problems = json_schemas.drift(directory)
        for problem in problems:
            click.echo(problem, err=True)
        if problems:
            raise GateFailure(f"{len(problems)} schema file(s) drifted; run `kfm-bot schemas`.")
        click.echo("schemas are in sync with the models")
        return EXIT_OK
    for filename in json_schemas.write(directory):
        click.echo(f"wrote {json_schemas.SCHEMA_DIR}/{filename}")
    return EXIT_OK
