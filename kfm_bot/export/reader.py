"""Reads a pack (directory or .tar.gz) into memory, bounded, refusing anything but plain files."""

from __future__ import annotations

import gzip
import os
import stat
import tarfile
from pathlib import Path, PurePosixPath
from typing import Protocol

from kfm_bot.errors import UsageError
from kfm_bot.export.layout import PackError

MAX_FILES = 10_000
MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
# Headers, padding and PAX records on top of the file bytes a tarball may decompress to.
TAR_OVERHEAD = 4 * 1024 * 1024


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class BoundedReader:
    """A read-only stream that fails once more than `limit` bytes came out (a gzip bomb)."""

    def __init__(self, raw: _Readable, limit: int) -> None:
        self._raw = raw
        self._left = limit

    def read(self, size: int = -1) -> bytes:
        want = self._left + 1 if size < 0 else min(size, self._left + 1)
        data = self._raw.read(want)
        self._left -= len(data)
        if self._left < 0:
            raise PackError("the tarball decompresses to more than the pack size limit")
        return data


def read_pack(path: Path) -> dict[str, bytes]:
    if not path.exists():
        raise UsageError(f"{path} does not exist; pass a pack directory or a .tar.gz")
    if path.is_dir():
        return read_directory(path)
    return read_tarball(path)


def read_directory(root: Path) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    total = 0
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names) + [d for d in dirs if Path(folder, d).is_symlink()]:
            full = Path(folder, name)
            rel = full.relative_to(root).as_posix()
            st = os.lstat(full)
            if not stat.S_ISREG(st.st_mode):
                raise PackError(
                    f"{rel} is not a regular file (a link or device); a pack holds none"
                )
            total += st.st_size
            if len(files) >= MAX_FILES or st.st_size > MAX_FILE_BYTES or total > MAX_TOTAL_BYTES:
                raise PackError(f"{rel}: the pack is larger than the verifier's limits")
            files[rel] = full.read_bytes()
    return files


def read_tarball(path: Path) -> dict[str, bytes]:
    try:
        with path.open("rb") as fh, gzip.GzipFile(fileobj=fh, mode="rb") as gz:
            stream = BoundedReader(gz, MAX_TOTAL_BYTES + TAR_OVERHEAD)
            with tarfile.open(fileobj=stream, mode="r|") as tar:  # type: ignore[call-overload]
                return _members(tar)
    except (tarfile.TarError, OSError, EOFError, gzip.BadGzipFile) as exc:
        raise PackError(
            f"{path.name} is not a readable .tar.gz pack ({type(exc).__name__})"
        ) from None


def _members(tar: tarfile.TarFile) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    root: str | None = None
    total = 0
    for member in tar:
        name = member.name
        parts = PurePosixPath(name).parts
        if name.startswith("/") or "\\" in name or ".." in parts or not parts:
            raise PackError(f"tarball member {name!r} has an absolute or climbing path")
        if member.isdir():
            continue
        if not member.isreg():
            raise PackError(f"tarball member {name!r} is a link or device; a pack holds files only")
        root = root or parts[0]
        rel = "/".join(parts[1:])
        if parts[0] != root or not rel:
            raise PackError(f"tarball member {name!r} is outside the pack's one top-level folder")
        if rel in files:
            raise PackError(f"tarball member {name!r} appears twice")
        total += member.size
        if len(files) >= MAX_FILES or member.size > MAX_FILE_BYTES or total > MAX_TOTAL_BYTES:
            raise PackError(f"tarball member {name!r} is larger than the verifier's limits")
        handle = tar.extractfile(member)
        if handle is None:  # pragma: no cover - regular members always have data
            raise PackError(f"tarball member {name!r} has no data")
        files[rel] = handle.read()
    return files
