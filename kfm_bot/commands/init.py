"""`kfm-bot init DIR`: a new governance repository that calls kfm-bot's reusable workflows."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kfm_bot import __version__
from kfm_bot.errors import EXIT_OK, UsageError

if TYPE_CHECKING:
    from kfm_bot.scaffold.init_repo import Pin, Steward

REPOSITORY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$")
SHA = re.compile(r"^[0-9a-f]{40}$")
STEWARD = re.compile(r"^([A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?):([1-9][0-9]{0,11})$")


@click.command("init")
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--steward", "stewards", multiple=True, required=True, metavar="LOGIN:ID",
              help="A steward: GitHub login and numeric user id (`gh api users/LOGIN --jq .id`)."
              " Repeat for more; each gets every role.")  # fmt: skip
@click.option("--kfm-bot-repository", metavar="OWNER/NAME",
              help="The kfm-bot repository the workflows call (default: this installation's"
              " Source URL).")  # fmt: skip
@click.option("--kfm-bot-ref", metavar="SHA",
              help="The kfm-bot commit the workflows pin, 40 hex (default: the commit this"
              " installation was built from, when known).")  # fmt: skip
@click.option(
    "--app-id",
    type=click.IntRange(min=1),
    help="kfm-bot's GitHub App id: the ruleset then counts only its check runs.",
)
@click.option("--default-branch", default="main", show_default=True,
              help="The branch promotion runs on.")  # fmt: skip
@click.option(
    "--git/--no-git",
    default=True,
    show_default=True,
    help="`git init` the new repository (skipped when DIRECTORY has .git).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Add to a non-empty DIRECTORY; an existing file is still never overwritten.",
)
def init(
    directory: Path, stewards: tuple[str, ...], kfm_bot_repository: str | None,
    kfm_bot_ref: str | None, app_id: int | None, default_branch: str, git: bool, force: bool,
) -> int:  # fmt: skip
    """Create a governance repository in DIRECTORY: an example source, dataset and policies
    that pass `kfm-bot check --all`, the schemas editors use, workflows calling kfm-bot's
    reusable ones by commit, a ruleset for the default branch and a README."""
    from kfm_bot.scaffold.init_repo import init_repository

    people = [_steward(text) for text in stewards]
    pin = _pin(kfm_bot_repository, kfm_bot_ref)
    if not re.fullmatch(r"[A-Za-z0-9._/-]{1,100}", default_branch):
        raise UsageError(f"--default-branch `{default_branch[:100]}` is not a branch name")
    written = init_repository(directory, pin, people, app_id, default_branch, force, git)
    click.echo(f"wrote {len(written)} files in {directory} (kfm-bot {pin.repository}@{pin.ref})")
    click.echo(f"next: cd {directory} && kfm-bot check --all; then read README.md")
    return EXIT_OK


def _steward(text: str) -> Steward:
    from kfm_bot.scaffold.init_repo import Steward

    match = STEWARD.fullmatch(text)  # fullmatch: `$` would let a trailing newline in
    if match is None:
        raise UsageError(f"--steward `{text[:80]}` must be LOGIN:ID, e.g. octocat:583231")
    return Steward(match[1], int(match[2]))


def _pin(repository: str | None, ref: str | None) -> Pin:
    from kfm_bot.scaffold.init_repo import Pin
    from kfm_bot.scaffold.origin import installed_commit, installed_repository

    repository = repository or installed_repository()
    if repository is None or not REPOSITORY.fullmatch(repository):
        shown = "" if repository is None else f" (`{repository[:140]}` is not OWNER/NAME)"
        raise UsageError(f"pass --kfm-bot-repository OWNER/NAME{shown}")
    if ref is not None:
        if not SHA.fullmatch(ref):
            raise UsageError(f"--kfm-bot-ref `{ref[:80]}` must be a full 40-hex commit sha")
        return Pin(repository, ref, "given to `kfm-bot init --kfm-bot-ref`")
    built = installed_commit()
    if built is None:
        raise UsageError(
            f"this kfm-bot {__version__} does not know the commit it was built from (an"
            " editable install, or a build from a changed tree): pass --kfm-bot-ref with the"
            f" full sha of the {repository} commit the workflows should run"
        )
    return Pin(repository, built, f"the commit kfm-bot {__version__} was built from")
