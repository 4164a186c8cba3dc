"""An in-memory Snapshot and a gate context over it, for fast unit tests of single checks."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from kfm_bot.gates.engine.context import GateContext
from kfm_bot.gates.evaluate import compute_scope
from kfm_bot.git.read import Change
from kfm_bot.repo.changes import ChangeSet
from kfm_bot.repo.documents import DocumentStore
from kfm_bot.repo.snapshot import MODE_FILE, Entry


class MemorySnapshot:
    """Files as bytes; `modes` overrides a path's git mode (symlink 120000, submodule 160000)."""

    def __init__(self, files: dict[str, bytes], modes: dict[str, str] | None = None) -> None:
        self.label = "memory"
        self.files = dict(files)
        self.modes = dict(modes or {})

    def paths(self) -> Iterable[str]:
        return sorted(set(self.files) | set(self.modes))

    def entry(self, path: str) -> Entry | None:
        if path not in self.files and path not in self.modes:
            return None
        return Entry(path, self.modes.get(path, MODE_FILE))

    def read(self, path: str, limit: int | None = None) -> bytes:
        data = self.files[path]
        return data if limit is None else data[:limit]

    def digest(self, path: str) -> str:
        return "sha256:" + hashlib.sha256(self.files[path]).hexdigest()


def diff(base: MemorySnapshot, head: MemorySnapshot) -> ChangeSet:
    changes = []
    for path in sorted(set(base.paths()) | set(head.paths())):
        if base.entry(path) is None:
            changes.append(Change("A", path))
        elif head.entry(path) is None:
            changes.append(Change("D", path))
        elif base.files.get(path) != head.files.get(path) or base.entry(path) != head.entry(path):
            changes.append(Change("M", path))
    return ChangeSet(tuple(changes))


def context(
    head: MemorySnapshot, base: MemorySnapshot | None = None, everything: bool = False
) -> GateContext:
    """The gate context `evaluate` would build, without git and without policies."""
    changes = ChangeSet(everything=True) if base is None or everything else diff(base, head)
    docs = DocumentStore(head)
    scope = compute_scope(changes, head, docs)
    base_docs = DocumentStore(base) if base is not None else None
    return GateContext(head, changes, scope, docs, base, base_docs, None)
