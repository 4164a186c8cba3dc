"""`kfm-bot refresh SLUG`: a pipeline run's digests and the spec_hash into the receipts."""

from __future__ import annotations

from pathlib import Path

import click

from kfm_bot.commands.options import repo_option
from kfm_bot.errors import EXIT_OK


@click.command("refresh")
@click.argument("slug")
@repo_option
@click.option("--spec-changed", is_flag=True,
              help="Record the current spec_hash even though the spec changed since the run"
              " (refused otherwise, naming what changed).")  # fmt: skip
def refresh(slug: str, repo_dir: Path, spec_changed: bool) -> int:
    """Recompute SLUG's receipt digests (outputs, inputs beside the spec, params, QA report),
    spec_hash and version id, and its provenance subjects, after a pipeline run."""
    from kfm_bot.scaffold.refresh_dataset import refresh_dataset

    changed = refresh_dataset(repo_dir, slug, spec_changed)
    for path in changed:
        click.echo(f"updated {path}")
    if not changed:
        click.echo(f"{slug}: the receipts already match the files")
    return EXIT_OK
