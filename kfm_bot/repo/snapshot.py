"""A snapshot: the files of one commit (or the working tree), read lazily and read-only."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from kfm_bot.git import read

if TYPE_CHECKING:
    from kfm_bot.git.gitdir import GitDir

MODE_FILE = "100644"
MODE_EXEC = "100755"
MODE_SYMLINK = "120000"
MODE_SUBMODULE = "160000"
LFS_POINTER_PREFIX = b"version https://git-lfs.github.com/spec/v1"
# First bytes of each blob read in bulk, kept so that later short reads (gate A's LFS-pointer
# test) need no git round trip: 64 bytes a file is 3 MB at 50,000 files.
PREFIX_BYTES = 64


@dataclass(frozen=True, slots=True)
class Entry:
    path: str
    mode: str

    @property
    def is_regular(self) -> bool:
        return self.mode in (MODE_FILE, MODE_EXEC)


def _regular(mode: str) -> bool:
    return mode in (MODE_FILE, MODE_EXEC)


class Snapshot(Protocol):
    """What gates may know about a tree of files; nothing can be written through it."""

    label: str

    def paths(self) -> Iterable[str]: ...
    def entry(self, path: str) -> Entry | None: ...
    def read(self, path: str, limit: int | None = None) -> bytes: ...
    def digest(self, path: str) -> str: ...


class CommitSnapshot:
    """Files of a commit, read from the object database (nothing is checked out)."""

    def __init__(self, repo: GitDir, commit: str) -> None:
        self.label = commit
        self.repo = repo
        self.rev = commit  # whose history holds the ledger's anchors
        self._repo = repo
        self._entries = read.tree_entries(repo, commit)
        self._prefixes: dict[str, bytes] = {}

    def paths(self) -> Iterable[str]:
        return self._entries.keys()

    def entry(self, path: str) -> Entry | None:
        e = self._entries.get(path)
        return None if e is None else Entry(e.path, e.mode)

    def read(self, path: str, limit: int | None = None) -> bytes:
        e = self._entries.get(path)
        if e is None or e.mode == MODE_SUBMODULE:
            raise FileNotFoundError(path)
        if limit is not None and limit <= PREFIX_BYTES:
            prefix = self._prefixes.get(path)
            if prefix is not None:
                return prefix[:limit]
        return read.read_blob(self._repo, e.blob, limit)

    def read_many(self, paths: Iterable[str], limit: int) -> Iterator[tuple[str, bytes]]:
        """(path, at most `limit` bytes) of each regular file among `paths`, in order, through
        one pipelined `git cat-file --batch` (see `git.batch`): no round trip per file."""
        from kfm_bot.git.batch import BlobReader

        wanted = [(p, e.blob) for p in paths if (e := self._entries.get(p)) and _regular(e.mode)]
        with BlobReader(self._repo) as reader:
            blobs = reader.read_many((blob for _, blob in wanted), limit)
            for (path, _), (_, data) in zip(wanted, blobs, strict=True):
                if data is None:
                    raise FileNotFoundError(path)  # listed in the tree, absent from the store
                if limit >= PREFIX_BYTES:
                    self._prefixes[path] = data[:PREFIX_BYTES]
                yield path, data

    def digest(self, path: str) -> str:
        return "sha256:" + hashlib.sha256(self.read(path)).hexdigest()


class FileSystemSnapshot:
    """Files on disk, by repository path, with the git mode each was listed with."""

    def __init__(self, root: Path, modes: dict[str, str], label: str) -> None:
        self.label = label
        self._root = root
        self._modes = modes

    def paths(self) -> Iterable[str]:
        return self._modes.keys()

    def entry(self, path: str) -> Entry | None:
        mode = self._modes.get(path)
        if mode is None:
            return None
        if mode == MODE_SUBMODULE:
            return Entry(path, mode)
        st = os.lstat(self._root / path)
        if stat.S_ISLNK(st.st_mode):
            return Entry(path, MODE_SYMLINK)
        if not stat.S_ISREG(st.st_mode):
            return Entry(path, MODE_SUBMODULE if stat.S_ISDIR(st.st_mode) else "000000")
        return Entry(path, MODE_EXEC if st.st_mode & 0o111 else MODE_FILE)

    def read(self, path: str, limit: int | None = None) -> bytes:
        entry = self.entry(path)
        if entry is None or not entry.is_regular:
            raise FileNotFoundError(path)
        with (self._root / path).open("rb") as fh:
            return fh.read() if limit is None else fh.read(limit)

    def digest(self, path: str) -> str:
        h = hashlib.sha256()
        with (self._root / path).open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        return "sha256:" + h.hexdigest()


class WorkTreeSnapshot(FileSystemSnapshot):
    """Files of the working tree: tracked ones and untracked ones git does not ignore."""

    def __init__(self, repo: GitDir, root: Path) -> None:
        modes = read.index_entries(repo)
        present = {p: m for p, m in modes.items() if os.path.lexists(root / p)}
        super().__init__(root, present, "working tree")
        self.repo = repo
        self.rev = "HEAD"  # the working tree's ledger is anchored in the history behind it


GOVERNED_DIRS = ("registry", "specs", "policies")


def directory_snapshot(root: Path, label: str) -> FileSystemSnapshot:
    """The governed files of a plain directory laid out like the repository (no git needed):
    a pipeline's workspace. Symlinks are listed, never followed, so gate A can refuse them;
    the walk stays inside `registry/`, `specs/` and `policies/`."""
    modes: dict[str, str] = {}
    for top in GOVERNED_DIRS:
        start = root / top
        if not start.is_dir() or start.is_symlink():
            continue
        for folder, dirs, files in os.walk(start, followlinks=False):
            rel = Path(folder).relative_to(root).as_posix()
            for name in sorted(files) + [
                d for d in sorted(dirs) if (Path(folder) / d).is_symlink()
            ]:
                modes[f"{rel}/{name}"] = MODE_FILE  # entry() reads the real kind with lstat
    return FileSystemSnapshot(root, dict(sorted(modes.items())), label)
