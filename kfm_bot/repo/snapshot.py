"""A snapshot: the files of one commit (or the working tree), read lazily and read-only."""

from __future__ import annotations

import bisect
import fnmatch
import hashlib
import os
import stat
from collections.abc import Iterable
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
MAX_RELISTED = 2000  # beyond this many changed paths, a snapshot lists its whole tree itself


@dataclass(frozen=True, slots=True)
class Entry:
    path: str
    mode: str

    @property
    def is_regular(self) -> bool:
        return self.mode in (MODE_FILE, MODE_EXEC)


class Snapshot(Protocol):
    """What gates may know about a tree of files; nothing can be written through it."""

    label: str

    def paths(self) -> Iterable[str]: ...
    def entry(self, path: str) -> Entry | None: ...
    def read(self, path: str, limit: int | None = None) -> bytes: ...
    def digest(self, path: str) -> str: ...


class CommitSnapshot:
    """Files of a commit, read from the object database (nothing is checked out)."""

    def __init__(self, repo: GitDir, commit: str, records: dict[str, str] | None = None) -> None:
        self.label = commit
        self.repo = repo
        self.rev = commit  # whose history holds the ledger's anchors
        self._repo = repo
        self._records = read.tree_records(repo, commit) if records is None else records
        self._sorted: list[str] | None = None

    @classmethod
    def beside(cls, other: CommitSnapshot, commit: str, differing: Iterable[str]) -> CommitSnapshot:
        """The snapshot of `commit`, given `other` and every path whose entry differs between
        the two (what `git diff` lists, both sides of a rename): `other`'s listing with those
        paths listed again from `commit`. A second listing of a 100,000-file tree costs more
        than the rest of a one-dataset check; this costs what the change touches."""
        paths = set(differing)
        if len(paths) > MAX_RELISTED:
            return cls(other.repo, commit)
        records = {p: r for p, r in other._records.items() if p not in paths}
        records.update(read.tree_records(other.repo, commit, paths))
        return cls(other.repo, commit, records)

    def paths(self) -> Iterable[str]:
        return self._records.keys()

    def under(self, prefix: str) -> list[str]:
        """The paths starting with `prefix`, sorted: a binary search, not a scan of the tree."""
        if self._sorted is None:
            self._sorted = sorted(self._records)  # git lists in this order: a linear sort
        keys = self._sorted
        found = []
        for i in range(bisect.bisect_left(keys, prefix), len(keys)):
            if not keys[i].startswith(prefix):
                break
            found.append(keys[i])
        return found

    def entry(self, path: str) -> Entry | None:
        record = self._records.get(path)
        return None if record is None else Entry(path, record[: record.index(" ")])

    def read(self, path: str, limit: int | None = None) -> bytes:
        record = self._records.get(path)
        if record is None:
            raise FileNotFoundError(path)
        e = read.parse_record(record)
        if e.mode == MODE_SUBMODULE:
            raise FileNotFoundError(path)
        return read.read_blob(self._repo, e.blob, limit)

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


def containing(snapshot: Snapshot, glob: str, needles: list[str]) -> set[str]:
    """Paths matching `glob` (git's pathspec glob: `*` crosses `/`) whose bytes contain any of
    `needles`: a prefilter, in C for a commit (`git grep`), by reading each file otherwise."""
    if not needles:
        return set()
    if isinstance(snapshot, CommitSnapshot):
        from kfm_bot.git.grep import files_containing

        return files_containing(snapshot.repo, snapshot.rev, glob, needles)
    wanted = [n.encode("utf-8", "surrogateescape") for n in needles]
    found = set()
    for path in snapshot.paths():
        if fnmatch.fnmatchcase(path, glob):
            entry = snapshot.entry(path)
            if entry is not None and entry.is_regular:
                raw = snapshot.read(path)
                if any(n in raw for n in wanted):
                    found.add(path)
    return found


def under(snapshot: Snapshot, prefix: str) -> list[str]:
    """The snapshot's paths that start with `prefix` (a folder with its `/`), sorted."""
    if isinstance(snapshot, CommitSnapshot):
        return snapshot.under(prefix)
    return sorted(p for p in snapshot.paths() if p.startswith(prefix))
