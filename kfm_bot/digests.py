"""Streaming sha256 of artifact bytes, and the check of one artifact against its digest.

A leaf: promotion's standalone tools use it on workspace files, and any other module (object
storage zones, export) can hash a stream the same way. Memory stays constant whatever the
size: the bytes pass through a fixed-size buffer, never loaded whole.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

CHUNK = 1 << 20  # 1 MiB: large enough that hashing, not the read calls, is the cost


@dataclass(frozen=True)
class StreamDigest:
    digest: str  # sha256:<64 hex>
    size: int


def digest_stream(read: Callable[[int], bytes]) -> StreamDigest:
    """sha256 and byte count of everything `read(n)` returns until it returns b""."""
    h = hashlib.sha256()
    size = 0
    while chunk := read(CHUNK):
        h.update(chunk)
        size += len(chunk)
    return StreamDigest("sha256:" + h.hexdigest(), size)


def digest_file(path: Path) -> StreamDigest:
    with path.open("rb") as fh:
        return digest_stream(fh.read)


@dataclass(frozen=True)
class ArtifactProblem:
    """Why one artifact does not match: `kind` is stable for callers, `message` is for people."""

    path: str
    kind: str  # escapes | missing | not-a-file | mismatch | unreadable
    message: str


def verify_workspace_file(root: Path, rel: str, expected: str) -> ArtifactProblem | None:
    """None when `root/rel` is a regular file inside `root` whose sha256 is `expected`.

    The path is judged on its own (not only by a schema upstream): absolute paths, `..`
    segments and symlinks that resolve outside the root are refused before anything is read,
    so a manifest can never make the checker read (and reveal the digest of) other files.
    """
    if not rel or rel.startswith(("/", "\\")) or "\\" in rel or "\x00" in rel:
        return ArtifactProblem(rel, "escapes", f"{rel!r} is not a relative path in the workspace")
    if any(part in ("", ".", "..") for part in rel.split("/")):
        return ArtifactProblem(rel, "escapes", f"{rel!r} leaves the workspace (empty, . or ..)")
    base = root.resolve()
    target = base / rel
    if not os.path.lexists(target):
        return ArtifactProblem(rel, "missing", f"{rel}: no such file in the workspace")
    resolved = target.resolve()
    if not resolved.is_relative_to(base):
        return ArtifactProblem(rel, "escapes", f"{rel}: a symlink that leaves the workspace")
    try:
        if not stat.S_ISREG(resolved.stat().st_mode):
            return ArtifactProblem(rel, "not-a-file", f"{rel}: not a regular file")
        found = digest_file(resolved)
    except OSError as exc:
        return ArtifactProblem(rel, "unreadable", f"{rel}: cannot read ({exc.strerror})")
    if found.digest != expected:
        return ArtifactProblem(
            rel,
            "mismatch",
            f"{rel}: digest mismatch: expected {expected}, the bytes are {found.digest}",
        )
    return None
