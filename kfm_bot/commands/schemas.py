"""`kfm-bot schemas`: write `schemas/*.schema.json` from the models, or `--check` for drift."""

from __future__ import annotations

from pathlib import Path

import click

from kfm_bot.errors import EXIT_OK, GateFailure


@click.command("schemas")
@click.option(
    "--repo",
    "repo",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(),
    show_default=True,
    help="Repository root holding schemas/.",
)
@click.option("--check", is_flag=True, help="Change nothing; exit 1 if a schema drifted.")
def schemas(repo: Path, check: bool) -> int:
    """Generate the JSON Schemas of every document from the bot's models."""
    from kfm_bot import schema_gen

    directory = repo / schema_gen.SCHEMA_DIR
    if check:
        problems = schema_gen.drift(directory)
        for problem in problems:
            click.echo(problem, err=True)
        if problems:
            raise GateFailure(f"{len(problems)} schema file(s) drifted; run `kfm-bot schemas`.")
        click.echo("schemas are in sync with the models")
        return EXIT_OK
    for filename in schema_gen.write(directory):
        click.echo(f"wrote {schema_gen.SCHEMA_DIR}/{filename}")
    return EXIT_OK
