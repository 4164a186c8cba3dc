"""Options several commands share, declared once so their help reads the same everywhere."""

from __future__ import annotations

from pathlib import Path

import click

repo_option = click.option(
    "--repo",
    "repo_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="The governance repository (a git checkout) to work on.",
)
