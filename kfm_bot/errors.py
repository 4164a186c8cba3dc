"""Exit codes and the one place that turns an outcome into a message and a code."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator

EXIT_OK = 0
EXIT_FAILED = 1  # a gate or policy said no: the expected "no"
EXIT_USAGE = 2  # usage or configuration error
EXIT_SERVICE = 3  # an external service failed after retries
# An unexpected exception: a defect in kfm-bot, not in the input. Its own code (sysexits.h
# EX_SOFTWARE) so a workflow or script never mistakes a crash for a usage error.
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130

# Tokens the workflows hand to kfm-bot: an exception's text may quote one (a URL, a header).
# KFM_SIGNING_KEY signs promotion statements (kfm_bot/attest). The AWS_* ones are the zones'
# credentials (kfm_bot/zones/store.py): never printed either.
SECRET_ENV = (
    "GITHUB_TOKEN",
    "KFM_PUSH_TOKEN",
    "KFM_SIGNING_KEY",
    "KFM_APP_PRIVATE_KEY",
    "KFM_STATE_KEY",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_ACCESS_KEY_ID",
    "AWS_SESSION_TOKEN",
)


class KfmError(Exception):
    """An error with a one-sentence message for the user and an exit code."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, exit_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code


class UsageError(KfmError):
    """Bad arguments, missing files, broken configuration."""

    exit_code = EXIT_USAGE


class GateFailure(KfmError):
    """A policy said no in a place that cannot print a report (promotion, ledger)."""

    exit_code = EXIT_FAILED


class ServiceError(KfmError):
    """GitHub or git failed after the bounded retries."""

    exit_code = EXIT_SERVICE


def exit_code(outcome: object) -> int:
    """A command's return value as an exit code: None is success, an int is the code itself."""
    if outcome is None:
        return EXIT_OK
    if isinstance(outcome, int):
        return int(outcome)
    # A command returning anything else is a defect: fail loudly, never exit 0 by accident.
    raise TypeError(f"a command returned {type(outcome).__name__}, not an exit code")


@contextlib.contextmanager
def error_handler(debug: Callable[[], bool] = lambda: False) -> Iterator[None]:
    """Map every failure to one line on stderr and an exit code; a traceback only on --debug."""
    try:
        yield
    except KfmError as exc:
        print(f"kfm-bot: error: {_log_safe(hide_secrets(exc.message))}", file=sys.stderr)
        raise SystemExit(exc.exit_code) from None
    except KeyboardInterrupt:
        print("kfm-bot: interrupted", file=sys.stderr)
        raise SystemExit(EXIT_INTERRUPTED) from None
    except MemoryError:
        print("kfm-bot: error: out of memory while reading input", file=sys.stderr)
        raise SystemExit(EXIT_USAGE) from None
    except (SystemExit, GeneratorExit):
        raise
    except Exception as exc:
        _click_error(exc)
        # The last line of defence: a message, never a traceback unless asked.
        if debug():
            import traceback  # only on --debug: kept off `kfm-bot --version`'s cold start

            sys.stderr.write(hide_secrets(traceback.format_exc()))
        print(
            f"kfm-bot: internal error: {type(exc).__name__}: {_log_safe(one_line(str(exc)))} "
            "(a defect in kfm-bot; `kfm-bot --debug ...` shows the traceback)",
            file=sys.stderr,
        )
        raise SystemExit(EXIT_INTERNAL) from None


def _click_error(exc: Exception) -> None:
    """End the process the way click would for its own errors; return for any other exception.

    click is looked up, not imported: a command line that never loaded click (`--version`, a
    plain `hash`) cannot raise its errors, and its cold start stays free of the import."""
    click = sys.modules.get("click")
    if click is None:
        return
    if isinstance(exc, click.ClickException):  # usage errors, printed as click prints them
        exc.show()
        raise SystemExit(exc.exit_code) from None
    if isinstance(exc, click.Abort):  # Ctrl-C inside a command: click has already ended ^C
        click.echo("Aborted!", err=True)
        raise SystemExit(EXIT_FAILED) from None


def hide_secrets(text: str) -> str:
    """The text with the value of every token variable in the environment replaced by ***."""
    for name in SECRET_ENV:
        secret = os.environ.get(name, "")
        if len(secret) >= 8:  # a short value would hide ordinary words, and guards nothing
            text = text.replace(secret, "***")
    return text


def _log_safe(text: str) -> str:
    """A message as one stderr line the Actions runner cannot read as a workflow command: a
    message may quote a PR's text (a YAML key), whose newline would start a `::error::` line
    and whose legacy `##[name]` prefix the runner obeys anywhere in a line."""
    return text.replace("\r", "\\r").replace("\n", "\\n").replace("##[", "#\u200b#[")


def one_line(text: str, limit: int = 300) -> str:
    """An exception's text as one clipped line, secrets hidden: the message stays one sentence."""
    flat = " ".join(hide_secrets(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
