"""`--help` as a new user reads it: every option explained, the exit codes listed everywhere."""

from __future__ import annotations

from collections.abc import Iterator

import click
import pytest
from click.testing import CliRunner

from kfm_bot import errors
from kfm_bot.commands.root import COMMANDS, EXIT_CODES, cli


def _walk(
    command: click.Command, path: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    yield path, command
    if isinstance(command, click.Group):
        ctx = click.Context(command)
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            assert sub is not None, f"{' '.join((*path, name))} is listed but cannot be loaded"
            yield from _walk(sub, (*path, name))


EVERY = list(_walk(cli, ()))


def test_every_command_is_walked() -> None:
    top = {path[0] for path, _ in EVERY if path}
    assert top == set(COMMANDS)
    assert len(EVERY) > len(COMMANDS)  # the groups' subcommands too (policy, ledger, ...)


@pytest.mark.parametrize(
    ("path", "command"), EVERY, ids=lambda v: " ".join(v) if isinstance(v, tuple) else ""
)
def test_every_option_has_help(path: tuple[str, ...], command: click.Command) -> None:
    bare = [
        "/".join(param.opts)
        for param in command.params
        if isinstance(param, click.Option) and not (param.help or "").strip()
    ]
    assert not bare, f"kfm-bot {' '.join(path)}: options without help: {bare}"


@pytest.mark.parametrize(
    ("path", "command"), EVERY, ids=lambda v: " ".join(v) if isinstance(v, tuple) else ""
)
def test_every_help_lists_the_exit_codes(path: tuple[str, ...], command: click.Command) -> None:
    done = CliRunner().invoke(cli, [*path, "--help"], prog_name="kfm-bot")
    assert done.exit_code == 0, done.output
    assert "Exit codes:" in done.output
    for code in (
        errors.EXIT_OK,
        errors.EXIT_FAILED,
        errors.EXIT_USAGE,
        errors.EXIT_SERVICE,
        errors.EXIT_INTERNAL,
    ):
        assert f"\n    {code} " in done.output, (path, code)


def test_the_listed_codes_are_the_real_ones() -> None:
    listed = {
        int(line.split()[0]) for line in EXIT_CODES.splitlines() if line[:3].strip().isdigit()
    }
    real = {value for name, value in vars(errors).items() if name.startswith("EXIT_")}
    assert listed == real
