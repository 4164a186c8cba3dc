"""In-memory contexts for unit tests of gates B-D: the example content plus edits, all in scope."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path

from kfm_bot.findings import Finding
from kfm_bot.gates.engine.context import GateContext
from kfm_bot.gates.evaluate import compute_scope
from kfm_bot.policy.policyset import load_policies
from kfm_bot.repo.changes import ChangeSet
from kfm_bot.repo.documents import DocumentStore
from kfm_bot.repo.snapshot import MODE_FILE, Entry

PROJECT = Path(__file__).resolve().parent.parent
CONTENT = ("registry", "specs", "policies")


class MemorySnapshot:
    """Files held in a dict: gates read snapshots only, so no git is needed to test their logic."""

    label = "memory"

    def __init__(self, files: Mapping[str, bytes]) -> None:
        self._files = dict(files)

    def paths(self) -> Iterable[str]:
        return self._files.keys()

    def entry(self, path: str) -> Entry | None:
        return Entry(path, MODE_FILE) if path in self._files else None

    def read(self, path: str, limit: int | None = None) -> bytes:
        data = self._files[path]
        return data if limit is None else data[:limit]

    def digest(self, path: str) -> str:
        return "sha256:" + hashlib.sha256(self._files[path]).hexdigest()


def example_files() -> dict[str, bytes]:
    files = {}
    for name in CONTENT:
        for path in sorted((PROJECT / name).rglob("*")):
            if path.is_file():
                files[path.relative_to(PROJECT).as_posix()] = path.read_bytes()
    return files


def context(
    edits: Mapping[str, str | bytes] | None = None,
    delete: Iterable[str] = (),
    replace: Mapping[str, tuple[str, str]] | None = None,
    base_edits: Mapping[str, str | None] | None = None,
) -> GateContext:
    """Example content with whole-file `edits`, `replace` = path -> (old, new), all in scope."""
    files = example_files()
    base_files = dict(files)
    for path, (old, new) in (replace or {}).items():
        text = files[path].decode()
        assert text.count(old) == 1, (path, old)
        files[path] = text.replace(old, new).encode()
    files.update({p: t if isinstance(t, bytes) else t.encode() for p, t in (edits or {}).items()})
    for path in delete:
        files.pop(path)
    for path, body in (base_edits or {}).items():
        if body is None:
            base_files.pop(path)
        else:
            base_files[path] = body.encode()
    head = MemorySnapshot(files)
    docs = DocumentStore(head)
    scope = compute_scope(ChangeSet(everything=True), head, docs)
    policies = load_policies(DocumentStore(MemorySnapshot(base_files)))
    return GateContext(head, ChangeSet(everything=True), scope, docs, policies=policies)


def rules(findings: Iterable[Finding]) -> list[str]:
    return sorted({f.rule for f in findings})
