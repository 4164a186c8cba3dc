"""`kfm-bot roster check`: do the steward logins of policies/stewards.yaml still name their ids?"""

from __future__ import annotations

import json
from pathlib import Path

import click

from kfm_bot.commands.options import repo_option
from kfm_bot.errors import EXIT_FAILED, EXIT_OK, UsageError

API_URL = "https://api.github.com"


@click.group("roster")
def roster() -> None:
    """Check the steward roster against GitHub."""


@roster.command("check")
@repo_option
@click.option(
    "--token",
    envvar="GITHUB_TOKEN",
    show_envvar=True,
    default="",
    show_default=False,
    help="A GitHub token; it needs no scope (prefer the environment variable to the option).",
)
@click.option(
    "--api-url",
    envvar="GITHUB_API_URL",
    show_envvar=True,
    default=API_URL,
    show_default=True,
    help="The GitHub REST API (GitHub Enterprise Server: https://HOST/api/v3).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="text: one line per finding, as `check` prints them; json: the steward count and the "
    "findings; github: workflow commands (annotations on the roster's lines).",
)
def check(repo_dir: Path, token: str, api_url: str, fmt: str) -> int:
    """Resolve each steward's login to its numeric user id through the GitHub API.

    Exit 0 when every login names the account id the roster gives, 1 when one names no
    account or another account (each reported at its line), 2 on a usage error, 3 when
    GitHub fails.
    """
    from kfm_bot.app.roster_check import roster_check
    from kfm_bot.github.pygithub_client import PyGithubClient

    if not token:
        raise UsageError("no token: set GITHUB_TOKEN (any token; it needs no scope)")
    from kfm_bot.report.finding_lines import as_json, github_command, text_line

    report = roster_check(repo_dir, PyGithubClient(token, "", api_url))
    if fmt == "json":
        body = {"checked": report.checked, "findings": [as_json(f) for f in report.findings]}
        click.echo(json.dumps(body, indent=2, sort_keys=True))
        return EXIT_FAILED if report.findings else EXIT_OK
    render = github_command if fmt == "github" else text_line
    for finding in report.findings:  # one finding format, shared with check, hash and action
        click.echo(render(finding))
    if report.findings:
        click.echo(f"{len(report.findings)} of {report.checked} steward(s) need a fix")
        return EXIT_FAILED
    click.echo(f"{report.checked} steward(s): every login names the id the roster gives")
    return EXIT_OK
