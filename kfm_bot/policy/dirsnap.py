"""A read-only snapshot of a plain directory's `policies/` tree, for `kfm-bot policy test`."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from kfm_bot.repo.snapshot import MODE_EXEC, MODE_FILE, MODE_SYMLINK, Entry

MAX_FILES = 10_000  # bounds the walk; a policies tree is a few dozen files


class PolicyDirSnapshot:
    """Files under `<root>/policies`, by repository path; needs no git, follows no symlinks."""

    def __init__(self, root: Path, top: str = "policies") -> None:
        self.label = str(root)
        self._root = root
        self._paths = sorted(self._walk(top))

    def _walk(self, top: str) -> Iterable[str]:
        seen = 0
        for dirpath, dirnames, filenames in os.walk(self._root / top):
            dirnames.sort()
            for name in sorted(filenames):
                seen += 1
                if seen > MAX_FILES:
                    return
                yield Path(dirpath, name).relative_to(self._root).as_posix()

    def paths(self) -> Iterable[str]:
        return list(self._paths)

    def entry(self, path: str) -> Entry | None:
        if path not in self._paths:
            return None
        st = os.lstat(self._root / path)
        if stat.S_ISLNK(st.st_mode):
            return Entry(path, MODE_SYMLINK)
        if not stat.S_ISREG(st.st_mode):
            return Entry(path, "000000")
        return Entry(path, MODE_EXEC if st.st_mode & 0o111 else MODE_FILE)

    def read(self, path: str, limit: int | None = None) -> bytes:
        entry = self.entry(path)
        if entry is None or not entry.is_regular:
            raise FileNotFoundError(path)
        with (self._root / path).open("rb") as fh:
            return fh.read() if limit is None else fh.read(limit)

    def digest(self, path: str) -> str:
        return "sha256:" + hashlib.sha256(self.read(path)).hexdigest()
