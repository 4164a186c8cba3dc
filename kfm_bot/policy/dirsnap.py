"""A read-only snapshot of a plain directory's `policies/` tree, for `kfm-bot policy test`."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from kfm_bot.repo.snapshot import MODE_FILE, FileSystemSnapshot

MAX_FILES = 10_000  # bounds the walk; a policies tree is a few dozen files


class PolicyDirSnapshot(FileSystemSnapshot):
    """Files under `<root>/policies`, by repository path; needs no git, follows no symlinks."""

    def __init__(self, root: Path, top: str = "policies") -> None:
        self._root = root
        super().__init__(root, dict.fromkeys(sorted(self._walk(top)), MODE_FILE), str(root))

    def _walk(self, top: str) -> Iterable[str]:
        seen = 0
        for dirpath, dirnames, filenames in os.walk(self._root / top):
            dirnames.sort()
            for name in sorted(filenames):
                seen += 1
                if seen > MAX_FILES:
                    return
                yield Path(dirpath, name).relative_to(self._root).as_posix()
