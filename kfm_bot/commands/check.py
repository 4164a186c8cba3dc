"""`kfm-bot check`: run the gates on what changed (or everything) and print a report."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kfm_bot.commands.formats import FORMAT_HELP, REPORT_FORMATS
from kfm_bot.errors import EXIT_FAILED, EXIT_OK

if TYPE_CHECKING:
    from kfm_bot.gates.evaluate import Evaluation
    from kfm_bot.models.report import GateReport


@click.command()
@click.option(
    "--repo",
    "repo_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="The governance repository (a git checkout) to check.",
)
@click.option(
    "--base",
    default=None,
    help="Base ref (default: merge-base with the default branch; refused when that is the"
    " branch being checked).",
)
@click.option("--head", default=None, help="Head ref (default: the working tree).")
@click.option("--all", "everything", is_flag=True, help="Check every source and dataset.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(REPORT_FORMATS),
    default="text",
    show_default=True,
    help=FORMAT_HELP,
)
def check(repo_dir: Path, base: str | None, head: str | None, everything: bool, fmt: str) -> int:
    """Run gates A-G on what changed between base and head, or on everything with --all."""
    return run(repo_dir, base, head, everything, fmt)


def run(repo_dir: Path, base: str | None, head: str | None, everything: bool, fmt: str) -> int:
    from kfm_bot.app.check_change import check_change
    from kfm_bot.commands.formats import render_report

    checked = check_change(repo_dir, base, head, everything)
    evaluation, report = checked.evaluation, checked.report
    sys.stdout.write(render_report(fmt, report))
    if fmt == "github":
        _job_summary(evaluation, report)
    return EXIT_OK if report.conclusion != "failure" else EXIT_FAILED


def _job_summary(evaluation: Evaluation, report: GateReport) -> None:
    """The Markdown report as the job summary, through the bot's one (redacting) writer."""
    from kfm_bot.github.protect import protected_in
    from kfm_bot.github.summary import write_step_summary
    from kfm_bot.report.markdown import render

    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if target:
        protected = protected_in(evaluation.ctx.head, evaluation.ctx.base)
        write_step_summary(Path(target), render(report), protected)
