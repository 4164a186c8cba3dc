"""`kfm-bot validate`: gates A-F on one dataset version in a pipeline's workspace."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kfm_bot.errors import EXIT_FAILED, EXIT_OK


@click.command()
@click.option(
    "--workspace",
    type=click.Path(path_type=Path),
    default=".",
    show_default=True,
    help="A directory laid out like the repository (registry/, specs/, policies/).",
)
@click.option("--dataset", "slug", default=None, help="The dataset slug (default: the only one).")
@click.option(
    "--dataset-version-id", "version", default=None, help="Refuse unless it names this spec."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "sarif"]),
    default="text",
    show_default=True,
    help="text: lines for a terminal; json: the gate report v1; sarif: SARIF 2.1.0.",
)
def validate(workspace: Path, slug: str | None, version: str | None, fmt: str) -> int:
    """Run gates A-F on one dataset of a workspace; exit 1 when any gate fails."""
    from kfm_bot.app.validate_workspace import validate_workspace
    from kfm_bot.commands.formats import render_report
    from kfm_bot.report.escape import log_line

    verdict = validate_workspace(workspace, slug, version)
    report = verdict.evaluation.report
    text = render_report(fmt, report)
    if fmt == "text":  # the first line names a base/head comparison, which this is not
        head = f"validated {verdict.slug} ({verdict.spec_hash}) in workspace {workspace}"
        text = log_line(head) + "\n" + text.split("\n", 1)[1]
    sys.stdout.write(text)
    return EXIT_OK if report.conclusion != "failure" else EXIT_FAILED
