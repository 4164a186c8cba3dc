"""The `kfm-bot` command line: parses arguments and hands off; no logic lives here.

Two command lines are answered without click, whose import alone is ~15 ms of every cold
start: `kfm-bot --version [--verbose]` and `kfm-bot hash FILE...` when no argument looks like
an option (and neither KFM_DEBUG nor KFM_BOT_DEBUG is set). They end exactly as click's route
would: the same version line, and `commands.hashing.run` on the same paths inside the same
`error_handler`.
Every other command line goes to the click group in `commands/root.py`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from kfm_bot import __version__
from kfm_bot.errors import error_handler, exit_code

_VERSION_OPTIONS = frozenset({"--version", "--verbose", "--debug"})


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """Every command ends here, the same way: it returns its exit code (or raises), and
    `error_handler` and `exit_code` alone turn that into the process's message and status."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = [False]
    with error_handler(lambda: debug[0]):
        if _is_version(args):
            outcome: object = _print_version(verbose="--verbose" in args)
        elif _is_plain_hash(args):
            from pathlib import Path

            from kfm_bot.commands import hashing

            outcome = hashing.run([Path(arg) for arg in args[1:]])
        else:
            outcome = _click_main(args, debug)
        raise SystemExit(exit_code(outcome))


def _is_version(args: list[str]) -> bool:
    return "--version" in args and set(args) <= _VERSION_OPTIONS


def _is_plain_hash(args: list[str]) -> bool:
    return (
        len(args) > 1
        and args[0] == "hash"
        and not any(arg.startswith("-") for arg in args[1:])
        # click parses a debug variable's value (and rejects bad ones)
        and "KFM_DEBUG" not in os.environ
        and "KFM_BOT_DEBUG" not in os.environ
    )


def _print_version(verbose: bool) -> int:
    sys.stdout.write(f"kfm-bot, version {__version__}\n")
    if verbose:
        import platform

        from kfm_bot.canonical import digest_status, encoder_status

        implementation = platform.python_implementation()
        sys.stdout.write(
            f"python {platform.python_version()} ({implementation}) {sys.executable}\n"
        )
        sys.stdout.write(f"spec_hash encoder: {encoder_status()}\n")
        sys.stdout.write(f"spec_hash digest: {digest_status()}\n")
    return 0


def _click_main(args: list[str], debug: list[bool]) -> object:
    from kfm_bot.commands.root import Invocation, cli

    invocation = Invocation()
    try:
        # standalone_mode=False: click hands back the command's return value and raises its
        # own usage errors, so both reach `error_handler` instead of click's sys.exit.
        return cli.main(args=args, prog_name="kfm-bot", standalone_mode=False, obj=invocation)
    finally:
        debug[0] = invocation.debug
