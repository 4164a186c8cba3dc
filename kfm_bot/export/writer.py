"""Writes a pack as a directory and, on request, a tarball: byte-identical for the same pack."""

from __future__ import annotations

import gzip
import io
import os
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from kfm_bot.errors import UsageError
from kfm_bot.export.build import Pack
from kfm_bot.export.layout import tar_root


def release_epoch(released_at: str) -> int:
    return int(datetime.fromisoformat(released_at.replace("Z", "+00:00")).timestamp())


def tarball_path(out: Path) -> Path:
    """The tarball sits beside the pack directory: `<out>.tar.gz`."""
    return out.with_name(out.name + ".tar.gz")


@contextmanager
def staged_directory(out: Path) -> Iterator[Path]:
    """A temporary sibling of `out` (which must be new or empty) to fill; renamed to `out` when
    the block ends, removed when it raises: a reader never sees half a pack."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UsageError(
            f"{out} already exists and is not an empty directory; choose another --out"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    staging.chmod(0o755)  # mkdtemp makes it 0o700; the pack is for others to read
    try:
        yield staging
        if out.exists():
            out.rmdir()
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def write_directory(pack: Pack, out: Path) -> None:
    """Files under `out` (new or empty), each with the release time; made in a temporary sibling."""
    epoch = release_epoch(pack.released_at)
    with staged_directory(out) as staging:
        for path, data in sorted(pack.files.items()):
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            target.chmod(0o644)
            os.utime(target, (epoch, epoch))


def tarball_bytes(pack: Pack) -> bytes:
    """Sorted regular files under one folder; fixed mtime, uid/gid 0, no names; gzip mtime 0."""
    epoch = release_epoch(pack.released_at)
    root = tar_root(pack.slug, pack.version)
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path, data in sorted(pack.files.items()):
            info = tarfile.TarInfo(f"{root}/{path}")
            info.size = len(data)
            info.mtime = epoch
            info.mode = 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(data))
    packed = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=packed, mtime=0, compresslevel=9) as gz:
        gz.write(raw.getvalue())
    return packed.getvalue()


def write_tarball(pack: Pack, path: Path) -> None:
    if path.exists():
        raise UsageError(f"{path} already exists; remove it or choose another --out")
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_bytes(tarball_bytes(pack))
    os.utime(temp, (release_epoch(pack.released_at),) * 2)
    temp.replace(path)
