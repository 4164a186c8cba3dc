"""Exit codes and the one place that turns failures into a message and a code."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

EXIT_OK = 0
EXIT_FAILED = 1  # a gate or policy said no: the expected "no"
EXIT_USAGE = 2  # usage or configuration error
EXIT_SERVICE = 3  # an external service failed after retries


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


@contextlib.contextmanager
def error_handler() -> Iterator[None]:
    """Map every failure to one line on stderr and an exit code; never a traceback."""
    try:
        yield
    except KfmError as exc:
        print(f"kfm-bot: error: {exc.message}", file=sys.stderr)
        raise SystemExit(exc.exit_code) from None
    except KeyboardInterrupt:
        print("kfm-bot: interrupted", file=sys.stderr)
        raise SystemExit(130) from None
    except MemoryError:
        print("kfm-bot: error: out of memory while reading input", file=sys.stderr)
        raise SystemExit(EXIT_USAGE) from None
    except (SystemExit, GeneratorExit):
        raise
    except Exception as exc:  # last line of defence: a message, never a traceback
        print(f"kfm-bot: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE) from None
