"""A snapshot: the files of one commit (or the working tree), read lazily and read-only."""

from __future__ import annotations

import bisect
import fnmatch
import hashlib
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from kfm_bot.git import read, trees

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
    """Files of a commit, read from the object database (nothing is checked out).

    Lazy: a one-dataset check asks about a dozen folders of a tree that may hold 100,000
    files, so folders are read one tree object at a time as they are asked about; the whole
    recursive listing is made only for `paths()`.
    """

    def __init__(self, repo: GitDir, commit: str) -> None:
        self.label = commit
        self.repo = repo
        self.rev = commit  # whose history holds the ledger's anchors
        self._repo = repo
        self._records: dict[str, str] | None = None
        self._sorted: list[str] | None = None
        self._trees: dict[str, dict[str, tuple[bytes, bytes]]] = {}
        self._children: dict[str, dict[str, bool]] = {}
        self._prefixes: dict[str, bytes] = {}

    def paths(self) -> Iterable[str]:
        return self._all().keys()

    def _all(self) -> dict[str, str]:
        if self._records is None:
            self._records = read.tree_records(self._repo, self.rev)
        return self._records

    def _tree(self, folder: str) -> dict[str, tuple[bytes, bytes]]:
        """Name -> (mode, object id) directly in `folder` ("" is the root); {} when the folder
        is not one in this commit."""
        if folder not in self._trees:
            if folder == "":
                oid: str | None = trees.root_tree(self._repo, self.rev)
            else:
                parent, _, name = folder.rpartition("/")
                mode, child = self._tree(parent).get(name, (b"", b""))
                oid = child.hex() if mode == trees.TREE_MODE else None
            self._trees[folder] = trees.children(self._repo, oid) if oid else {}
        return self._trees[folder]

    def _file(self, path: str) -> tuple[str, str] | None:
        """(mode, object id) of the non-folder entry at `path`, or None."""
        if self._records is not None:
            record = self._records.get(path)
            if record is None:
                return None
            e = read.parse_record(record)
            return e.mode, e.blob
        folder, _, name = path.rpartition("/")
        found = self._tree(folder).get(name) if name else None
        if found is None or found[0] == trees.TREE_MODE:
            return None
        return found[0].decode(), found[1].hex()

    def entry(self, path: str) -> Entry | None:
        found = self._file(path)
        return None if found is None else Entry(path, found[0])

    def read(self, path: str, limit: int | None = None) -> bytes:
        found = self._file(path)
        if found is None or found[0] == MODE_SUBMODULE:
            raise FileNotFoundError(path)
        if limit is not None and limit <= PREFIX_BYTES:
            prefix = self._prefixes.get(path)
            if prefix is not None:
                return prefix[:limit]
        return read.read_blob(self._repo, found[1], limit)

    def read_many(self, paths: Iterable[str], limit: int) -> Iterator[tuple[str, bytes]]:
        """(path, at most `limit` bytes) of each regular file among `paths`, in order, through
        one pipelined `git cat-file --batch` (see `git.batch`): no round trip per file."""
        from kfm_bot.git.batch import BlobReader

        wanted = [(p, f[1]) for p in paths if (f := self._file(p)) and _regular(f[0])]
        with BlobReader(self._repo) as reader:
            blobs = reader.read_many((blob for _, blob in wanted), limit)
            for (path, _), (_, data) in zip(wanted, blobs, strict=True):
                if data is None:
                    raise FileNotFoundError(path)  # listed in the tree, absent from the store
                if limit >= PREFIX_BYTES:
                    self._prefixes[path] = data[:PREFIX_BYTES]
                yield path, data

    def remember_prefix(self, path: str, prefix: bytes) -> None:
        """The first bytes of a file another process read (repo/split_parse.py), kept as
        `read_many` keeps its own."""
        self._prefixes[path] = prefix[:PREFIX_BYTES]

    def digest(self, path: str) -> str:
        return "sha256:" + hashlib.sha256(self.read(path)).hexdigest()

    def children(self, folder: str) -> dict[str, bool]:
        """Names directly in `folder` ("" is the root) -> True for a folder (shared: do not
        change it). Empty folders, which git cannot check out and `ls-tree -r` does not show,
        are left out."""
        if folder not in self._children:
            self._children[folder] = {
                name: mode == trees.TREE_MODE
                for name, (mode, oid) in self._tree(folder).items()
                if oid != trees.EMPTY_TREE
            }
        return self._children[folder]

    def under(self, prefix: str) -> list[str]:
        """The paths starting with `prefix`, sorted; a folder's (`prefix` ends with `/`) read
        from its own trees, anything else by binary search in the whole listing."""
        if self._records is None and prefix.endswith("/"):
            found: list[str] = []
            self._walk(prefix[:-1], found)
            return sorted(found)
        if self._sorted is None:
            self._sorted = sorted(self._all())  # git lists in this order: a linear sort
        keys = self._sorted
        found = []
        for i in range(bisect.bisect_left(keys, prefix), len(keys)):
            if not keys[i].startswith(prefix):
                break
            found.append(keys[i])
        return found

    def _walk(self, folder: str, found: list[str]) -> None:
        for name, is_folder in self.children(folder).items():
            path = f"{folder}/{name}" if folder else name
            if is_folder:
                self._walk(path, found)
            else:
                found.append(path)


class FileSystemSnapshot:
    """Files on disk, by repository path, with the git mode each was listed with."""

    def __init__(self, root: Path, modes: dict[str, str], label: str) -> None:
        self.label = label
        self._root = root
        self._modes = modes

    @property
    def root(self) -> Path:
        """The directory the files are read from (where `file://` zones are relative to)."""
        return self._root

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


def children(snapshot: Snapshot, folder: str) -> dict[str, bool]:
    """Names directly in `folder` ("" is the root) -> True for a folder, from the snapshot's
    files (a folder is there when a file is under it)."""
    if isinstance(snapshot, CommitSnapshot):
        return snapshot.children(folder)
    prefix = folder + "/" if folder else ""
    found: dict[str, bool] = {}
    for path in snapshot.paths():
        if path.startswith(prefix):
            name, sep, _ = path[len(prefix) :].partition("/")
            found[name] = found.get(name, False) or bool(sep)
    return found
