"""`check --all` on two cores: a forked child parses half of the files while this process
parses the other half.

Parsing (strict YAML from C parser events) is the largest cost of checking every file, and
each file is parsed alone. The child reads its half through its own `git cat-file --batch`,
parses and packs each document (`yaml.strict.pack`: marshal bytes), and streams the packed
bytes back through a pipe; this process takes them in between its own files, so neither
side waits. A document with findings is not packed: its raw bytes come back and are parsed
here, exactly as before. Whatever goes wrong in the child (it dies, writes a short record,
cannot fork) leaves its unfinished files to be read and parsed here: the result is the
serial one, only slower.
"""

from __future__ import annotations

import marshal
import os
import signal
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from kfm_bot.repo.snapshot import PREFIX_BYTES

if TYPE_CHECKING:
    from kfm_bot.repo.snapshot import CommitSnapshot

# Below this many files a fork costs more than the half it saves.
MIN_FILES = 2000
_LEN = 4  # bytes of each record's length prefix
_READ = 1 << 20

# (path, raw bytes) -> the packed document, or None when it must be parsed by the caller.
Work = Callable[[str, bytes], "bytes | None"]
# (path, packed document) into the caller's store.
Accept = Callable[[str, bytes], None]


def available() -> bool:
    """Two cores or more, and `fork` (POSIX)."""
    return hasattr(os, "fork") and (os.cpu_count() or 1) >= 2


def read_split(
    snapshot: CommitSnapshot, paths: list[str], limit: int, work: Work, accept: Accept
) -> Iterator[tuple[str, bytes]]:
    """(path, raw bytes) for the caller to parse: its own half, then any file the child sent
    back unparsed or left undone. Packed documents of the child's half go to `accept`."""
    mine, theirs = paths[: len(paths) // 2], paths[len(paths) // 2 :]
    done: set[str] = set()
    back: list[tuple[str, bytes]] = []
    child = _start(snapshot, theirs, limit, work)
    if child is None:  # no fork: everything here
        yield from snapshot.read_many(paths, limit)
        return
    pid, fd = child
    buffer = bytearray()
    ended = False
    try:
        for item in snapshot.read_many(mine, limit):
            yield item
            if not ended:
                ended = _drain(fd, buffer)
                _take(buffer, snapshot, accept, done, back)
        os.set_blocking(fd, True)
        while not ended:  # the rest, record by record as it comes: never all held at once
            chunk = os.read(fd, _READ)
            ended = not chunk
            buffer += chunk
            _take(buffer, snapshot, accept, done, back)
        _, status = os.waitpid(pid, 0)
        pid = 0
        yield from back
        if status != 0 or buffer:  # the child failed: its unfinished files, here
            sent = done | {path for path, _ in back}
            yield from snapshot.read_many([p for p in theirs if p not in sent], limit)
    finally:
        os.close(fd)
        if pid:  # the caller stopped early: the child is ours to stop
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


def _start(
    snapshot: CommitSnapshot, paths: list[str], limit: int, work: Work
) -> tuple[int, int] | None:
    try:
        read_fd, write_fd = os.pipe()
        pid = os.fork()
    except OSError:
        return None
    if pid == 0:  # the child: never returns
        status = 1
        try:
            os.close(read_fd)
            with os.fdopen(write_fd, "wb", buffering=_READ) as out:
                for path, raw in snapshot.read_many(paths, limit):
                    packed = work(path, raw)
                    record = marshal.dumps(
                        (path, raw[:PREFIX_BYTES], packed, raw if packed is None else None)
                    )
                    out.write(len(record).to_bytes(_LEN, "big"))
                    out.write(record)
            status = 0
        finally:
            os._exit(status)
    os.close(write_fd)
    os.set_blocking(read_fd, False)
    return pid, read_fd


def _drain(fd: int, buffer: bytearray) -> bool:
    """Append what the pipe holds now; True once the child closed it."""
    while True:
        try:
            chunk = os.read(fd, _READ)
        except BlockingIOError:
            return False
        if not chunk:
            return True
        buffer += chunk


def _take(
    buffer: bytearray,
    snapshot: CommitSnapshot,
    accept: Accept,
    done: set[str],
    back: list[tuple[str, bytes]],
) -> None:
    """Consume every whole record in `buffer`; a partial one stays for the next read."""
    start = 0
    while len(buffer) - start >= _LEN:
        size = int.from_bytes(buffer[start : start + _LEN], "big")
        end = start + _LEN + size
        if end > len(buffer):
            break
        record = bytes(buffer[start + _LEN : end])
        path, prefix, packed, raw = marshal.loads(record)  # noqa: S302 - our own child wrote it
        snapshot.remember_prefix(path, prefix)
        if packed is not None:
            accept(path, packed)
            done.add(path)
        else:
            back.append((path, raw))
        start = end
    del buffer[:start]
