"""The `kfm-bot` command line: parses arguments and hands off; no logic lives here."""

from __future__ import annotations

import importlib
from typing import NoReturn

import click

from kfm_bot import __version__
from kfm_bot.errors import error_handler, exit_code

# Subcommand name -> "module:attribute" of a click command. Imported only when used,
# so `kfm-bot --version` stays fast (PyGithub alone costs ~190 ms to import).
COMMANDS: dict[str, str] = {
    "check": "kfm_bot.commands.check:check",
    "hash": "kfm_bot.commands.hash:hash_command",
    "policy": "kfm_bot.commands.policy:policy",
    "ledger": "kfm_bot.commands.ledger:ledger",
    "promote": "kfm_bot.commands.promote:promote",
    "action": "kfm_bot.commands.action:action",
    "demo": "kfm_bot.commands.demo:demo",
    "emulator": "kfm_bot.commands.emulator:emulator",
    "schemas": "kfm_bot.commands.schemas:schemas",
    "rules": "kfm_bot.commands.rules:rules",
    "export": "kfm_bot.commands.export:export",
    "verify": "kfm_bot.commands.verify:verify",
}


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
        return command


class Invocation:
    """What the group's options tell `main` once parsing is done (click's `obj`).

    A plain class, not a dataclass: `kfm-bot --version` imports this module on every cold start.
    """

    def __init__(self) -> None:
        self.debug = False


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kfm-bot")
@click.option(
    "--debug",
    is_flag=True,
    envvar="KFM_BOT_DEBUG",
    help="On an internal error, print the traceback too (env: KFM_BOT_DEBUG=1).",
)
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Gates, spec_hash, steward approvals and promotion for governed datasets."""
    if isinstance(ctx.obj, Invocation):  # absent when a caller invokes `cli` without `main`
        ctx.obj.debug = debug


def main(argv: list[str] | None = None) -> NoReturn:
    """Every command ends here, the same way: it returns its exit code (or raises), and
    `error_handler` and `exit_code` alone turn that into the process's message and status."""
    invocation = Invocation()
    with error_handler(lambda: invocation.debug):
        # standalone_mode=False: click hands back the command's return value and raises its
        # own usage errors, so both reach the one mapping below instead of click's sys.exit.
        outcome = cli.main(args=argv, prog_name="kfm-bot", standalone_mode=False, obj=invocation)
        raise SystemExit(exit_code(outcome))
