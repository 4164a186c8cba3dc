"""`kfm-bot new source ID` and `kfm-bot new dataset SLUG`: commented templates to fill in."""

from __future__ import annotations

from pathlib import Path

import click

from kfm_bot.commands.options import repo_option
from kfm_bot.errors import EXIT_OK


@click.group("new")
def new() -> None:
    """Write a commented template; never overwrites a file. Empty fields are yours to fill
    in: `kfm-bot check` fails at each of them until they are."""


@new.command("source")
@click.argument("source_id")
@repo_option
def source(source_id: str, repo_dir: Path) -> int:
    """registry/sources/SOURCE_ID.yaml, with its editor modeline."""
    from kfm_bot.scaffold.new import new_source

    return _report(new_source(repo_dir, source_id))


@new.command("dataset")
@click.argument("slug")
@click.option("--source", "sources", multiple=True, metavar="SOURCE_ID",
              help="A registered source it reads (repeatable); licence and label come from the"
              " first.")  # fmt: skip
@click.option("--title", default=None, help="Its title (else left for you to fill in).")
@repo_option
def dataset(slug: str, sources: tuple[str, ...], title: str | None, repo_dir: Path) -> int:
    """specs/SLUG/: spec.yaml (commented), catalog, QA report and receipt skeletons. After the
    pipeline run, `kfm-bot refresh SLUG` records its digests in the receipt."""
    from kfm_bot.scaffold.new import new_dataset

    return _report(new_dataset(repo_dir, slug, list(sources), title))


def _report(written: list[str]) -> int:
    for path in written:
        click.echo(f"wrote {path}")
    click.echo("fill in the empty fields (see the comments), then run `kfm-bot check`")
    return EXIT_OK
