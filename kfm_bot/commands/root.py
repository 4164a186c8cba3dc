"""The root `kfm-bot` click group: global options and the table of lazily imported subcommands.

`kfm_bot.cli.main` imports this module only when click has to parse (every command line but
`kfm-bot --version` and `kfm-bot hash FILE...`), so click stays off those two cold starts."""

from __future__ import annotations

import importlib

import click

from kfm_bot import __version__

# Subcommand name -> "module:attribute" of a click command. Imported only when used,
# so a command pays only for its own imports (PyGithub alone costs ~190 ms to import).
COMMANDS: dict[str, str] = {
    "check": "kfm_bot.commands.check:check",
    "diff": "kfm_bot.commands.diff:diff",
    "hash": "kfm_bot.commands.hash:hash_command",
    "policy": "kfm_bot.commands.policy:policy",
    "ledger": "kfm_bot.commands.ledger:ledger",
    "promote": "kfm_bot.commands.promote:promote",
    "action": "kfm_bot.commands.action:action",
    "demo": "kfm_bot.commands.demo:demo",
    "emulator": "kfm_bot.commands.emulator:emulator",
    "schemas": "kfm_bot.commands.schemas:schemas",
    "roster": "kfm_bot.commands.roster:roster",
    "rules": "kfm_bot.commands.rules:rules",
    "export": "kfm_bot.commands.export:export",
    "verify": "kfm_bot.commands.verify:verify",
    "manifest": "kfm_bot.commands.manifest:manifest",
    "validate": "kfm_bot.commands.validate:validate",
    "zones": "kfm_bot.commands.zones:zones",
    "init": "kfm_bot.commands.init:init",
    "new": "kfm_bot.commands.new:new",
    "refresh": "kfm_bot.commands.refresh:refresh",
}


# Every command's --help ends with these (kfm_bot/errors.py holds the codes; `\b` keeps click
# from re-wrapping the lines). Set in one place, `LazyGroup.get_command`, so a new command
# cannot forget them.
EXIT_CODES = """\b
Exit codes:
  0    success
  1    findings: a gate or policy said no (the report names them)
  2    usage or configuration error (bad option, missing file, broken config)
  3    an external service (GitHub, git remote, zone store) failed after
       retries: no verdict, so the command fails closed
  70   internal error: a defect in kfm-bot (--debug or KFM_DEBUG=1 shows
       the traceback)
  130  interrupted (Ctrl-C)"""


def with_exit_codes(command: click.Command) -> click.Command:
    """The command, and every subcommand of a group, with the exit codes as its epilog."""
    if not command.epilog:
        command.epilog = EXIT_CODES
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            with_exit_codes(sub)
    return command


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, _, attr = target.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            return None
        command: click.Command = getattr(module, attr)
        return with_exit_codes(command)


class Invocation:
    """What the group's options tell `main` once parsing is done (click's `obj`).

    A plain class: dataclasses would add to every cold start that reaches click.
    """

    def __init__(self) -> None:
        self.debug = False


@click.group(
    cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES
)
@click.version_option(__version__, prog_name="kfm-bot", help="Print the version and exit.")
@click.option(
    "--verbose",
    is_flag=True,
    help="With --version: also name the interpreter and the spec_hash encoder in use.",
)
@click.option(
    "--debug",
    is_flag=True,
    envvar=["KFM_DEBUG", "KFM_BOT_DEBUG"],
    help="On an internal error, print the traceback too, secrets still hidden (env: KFM_DEBUG=1).",
)
@click.pass_context
def cli(ctx: click.Context, debug: bool, verbose: bool) -> None:
    """Gates, spec_hash, steward approvals and promotion for governed datasets."""
    if isinstance(ctx.obj, Invocation):  # absent when a caller invokes `cli` without `main`
        ctx.obj.debug = debug
