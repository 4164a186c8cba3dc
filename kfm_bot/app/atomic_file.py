"""Write a file all at once or not at all: a temporary file beside it, fsync, then rename.

A reader (a pipeline's next step, a crash) sees the old file or the new one, never half of
one; when anything fails the temporary file is removed and the old file is left untouched.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from kfm_bot.errors import UsageError


def write_atomic(target: Path, data: bytes) -> None:
    if target.is_dir():
        raise UsageError(f"{target}: is a directory; --out names the file to write")
    parent = target.parent
    if not parent.is_dir():
        raise UsageError(f"{target}: the directory {parent} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise UsageError(f"{target}: cannot write in {parent} ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        Path(tmp).replace(target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        if isinstance(exc, OSError):
            raise UsageError(f"{target}: cannot write ({exc.strerror})") from None
        raise
