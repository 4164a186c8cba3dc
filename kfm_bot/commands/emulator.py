"""`kfm-bot emulator`: run the local GitHub REST emulator in the foreground for manual trials."""

from __future__ import annotations

import signal
import threading
from pathlib import Path

import click

from kfm_bot.errors import EXIT_OK, UsageError

DEMO_USERS = (
    ("kfm-bot[bot]", "Bot"),
    ("contributor", "User"),
    ("steward", "User"),
    ("second-steward", "User"),
)


@click.command()
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder for the emulator's bare git repositories.",
)
@click.option(
    "--state",
    "state_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="JSON state file: loaded at start, saved on Ctrl-C.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    show_default=True,
    help="Port on 127.0.0.1 (0: any free port).",
)
@click.option("--seed-demo-users", is_flag=True, help="Create a bot, a contributor and stewards.")
def emulator(root: Path, state_file: Path | None, port: int, seed_demo_users: bool) -> int:
    """Serve a local GitHub REST API (backed by real git) until Ctrl-C."""
    return run(root, state_file, port, seed_demo_users)


def run(
    root: Path,
    state_file: Path | None,
    port: int,
    seed_demo_users: bool,
    stop: threading.Event | None = None,
) -> int:
    from kfm_bot.emulator import Emulator, extra

    if (why := extra.missing()) is not None:
        raise UsageError(why)
    emu = Emulator(root, state_file)
    try:
        base_url = emu.start(port)
    except OSError as exc:
        raise UsageError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror}") from None
    try:
        created = _seed(emu) if seed_demo_users else {}
        click.echo(f"GitHub emulator at {base_url}")
        click.echo(f"git repositories under {root.resolve()}")
        for login, token in created.items():
            click.echo(f"token for {login}: {token}")
        click.echo("Press Ctrl-C to stop" + (" and save the state." if state_file else "."))
        _wait(stop or threading.Event())
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not lose the state
    finally:
        click.echo("stopping")
        emu.stop()  # saves the state when a state file was given
    return EXIT_OK


def _wait(stop: threading.Event) -> None:
    """Block until Ctrl-C, SIGTERM or `stop` (tests set it)."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
    while not stop.wait(0.2):
        pass


def _seed(emu: object) -> dict[str, str]:
    from kfm_bot.emulator import Emulator

    assert isinstance(emu, Emulator)
    tokens = {login: emu.add_user(login, type=kind) for login, kind in DEMO_USERS}
    emu.add_team("kfm", "stewards", ["steward", "second-steward"])
    return tokens
