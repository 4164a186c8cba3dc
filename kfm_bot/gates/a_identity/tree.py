"""Gate A, tree: files a change adds or modifies are regular, safely named and where they belong."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable

from kfm_bot.findings import Finding, error
from kfm_bot.gates.engine.context import GateContext
from kfm_bot.gates.engine.reading import quoted
from kfm_bot.repo.layout import classify
from kfm_bot.repo.snapshot import LFS_POINTER_PREFIX, MODE_SYMLINK, Snapshot, children

RULES: dict[str, str] = {
    "A.symlink": "a symlink is not allowed in the repository: commit the file itself.",
    "A.submodule": "a submodule or special file is not allowed: commit regular files instead.",
    "A.lfs-pointer": "a Git LFS pointer is not content: commit the real bytes (or keep it out).",
    "A.path-case-collision": "a path equals another ignoring case: rename one of them.",
    "A.path-unicode-collision": "a path equals another after Unicode normalisation: rename one.",
    "A.path-characters": "governed paths are plain ASCII without controls, '..' or '\\': rename.",
    "A.unexpected-path": "a file is outside the layout of registry/, specs/: move or remove it.",
}
GOVERNED = ("registry/", "specs/", "policies/")


def run(ctx: GateContext) -> list[Finding]:
    head = ctx.head
    collisions: Callable[[str], list[Finding]]
    if ctx.changes.everything:
        paths: list[str] = sorted(head.paths())
        collisions = _Index(paths).collisions
    else:
        paths = sorted({p for p in ctx.changes.added_or_modified() if head.entry(p) is not None})
        collisions = _Folders(head).collisions
    findings: list[Finding] = []
    for path in paths:
        findings += _file_kind(ctx, path)
        findings += collisions(path)
        findings += _path_findings(path)
    return findings


def _file_kind(ctx: GateContext, path: str) -> list[Finding]:
    entry = ctx.head.entry(path)
    if entry is None:
        return []
    if entry.mode == MODE_SYMLINK:
        msg = f"{quoted(path)} is a symlink; replace it with the file it points to"
        return [error("A.symlink", msg, path, 1, 1)]
    if not entry.is_regular:
        msg = f"{quoted(path)} is a submodule or special file (mode {entry.mode}); commit files"
        return [error("A.submodule", msg, path, 1, 1)]
    if ctx.head.read(path, len(LFS_POINTER_PREFIX)) == LFS_POINTER_PREFIX:
        msg = f"{quoted(path)} is a Git LFS pointer; commit the real content, not LFS"
        return [error("A.lfs-pointer", msg, path, 1, 1)]
    return []


def _prefixes(path: str) -> list[str]:
    parts = path.split("/")
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def _fold(path: str) -> str:
    if path.isascii():  # normalisation cannot change ASCII: the common case stays cheap
        return path.lower()
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFC", path).casefold()).casefold()


class _Index:
    """Every path and folder of the head tree, keyed by case fold and by normalised case fold."""

    def __init__(self, paths: Iterable[str]) -> None:
        self.case: dict[str, set[str]] = {}
        self.form: dict[str, set[str]] = {}
        for path in paths:
            for prefix in _prefixes(path):
                self.case.setdefault(prefix.casefold(), set()).add(prefix)
                self.form.setdefault(_fold(prefix), set()).add(prefix)

    def collisions(self, path: str) -> list[Finding]:
        for prefix in _prefixes(path):
            # Each prefix of an indexed path is in its own set: one member means no collision,
            # decided without building a set per prefix (10,000s of paths in `check --all`).
            same = self.case.get(prefix.casefold())
            if same is not None and (len(same) > 1 or prefix not in same):
                others = same - {prefix}
                return [_collision("A.path-case-collision", "case", path, prefix, others)]
            same = self.form.get(_fold(prefix))
            if same is not None and (len(same) > 1 or prefix not in same):
                others = same - {prefix}
                return [
                    _collision("A.path-unicode-collision", "Unicode form", path, prefix, others)
                ]
        return []


class _Folders:
    """What `_Index` answers for a few changed paths, from the folders along them alone.

    At the first prefix of a path that collides, every colliding name is in a folder along the
    path: a name elsewhere would sit under a folder that collides with a shorter prefix, found
    first. Case folding keeps `/`, so those names are siblings of the prefix; Unicode
    normalisation can make one (a fullwidth solidus) from a name in a shallower folder, so the
    non-ASCII names of those folders are compared too. Each folder is folded once.
    """

    def __init__(self, head: Snapshot) -> None:
        self.head = head
        self.folded: dict[str, tuple[dict[str, set[str]], dict[str, set[str]], list[str]]] = {}
        self.whole: _Index | None = None

    def _folder(self, folder: str) -> tuple[dict[str, set[str]], dict[str, set[str]], list[str]]:
        if folder not in self.folded:
            case: dict[str, set[str]] = {}
            form: dict[str, set[str]] = {}
            wide = []
            for name in children(self.head, folder):
                full = f"{folder}/{name}" if folder else name
                case.setdefault(full.casefold(), set()).add(full)
                form.setdefault(_fold(full), set()).add(full)
                if not name.isascii():
                    wide.append(full)
            self.folded[folder] = (case, form, wide)
        return self.folded[folder]

    def collisions(self, path: str) -> list[Finding]:
        parts = path.split("/")
        if any(not part.isascii() and "/" in _fold(part) for part in parts):
            # A name that normalises to several (a fullwidth solidus) can meet a name in any
            # folder below its siblings: the whole tree is indexed for it, as before.
            if self.whole is None:
                self.whole = _Index(self.head.paths())
            return self.whole.collisions(path)
        for k in range(1, len(parts) + 1):
            prefix = "/".join(parts[:k])
            case, form, _ = self._folder("/".join(parts[: k - 1]))
            others = case.get(prefix.casefold(), set()) - {prefix}
            if others:
                return [_collision("A.path-case-collision", "case", path, prefix, others)]
            folded = _fold(prefix)
            others = form.get(folded, set()) - {prefix}
            for m in range(k - 1):
                wide = self._folder("/".join(parts[:m]))[2]
                others |= {w for w in wide if w != prefix and _fold(w) == folded}
            if others:
                return [
                    _collision("A.path-unicode-collision", "Unicode form", path, prefix, others)
                ]
        return []


def _collision(rule: str, how: str, path: str, prefix: str, others: set[str]) -> Finding:
    other = quoted(sorted(others)[0])
    msg = (
        f"{quoted(prefix)} collides with {other} by {how} "
        "(two names on macOS and Windows); rename it"
    )
    return error(rule, msg, path, 1, 1)


def _path_findings(path: str) -> list[Finding]:
    findings: list[Finding] = []
    if path.startswith(GOVERNED) and _bad_chars(path):
        msg = f"path {quoted(path)} has non-ASCII or control characters, '..' or '\\'; rename it"
        findings.append(error("A.path-characters", msg, path, 1, 1))
    elif not classify(path).expected:
        msg = f"{quoted(path)} is outside the expected layout (DESIGN section 2); move or remove it"
        findings.append(error("A.unexpected-path", msg, path, 1, 1))
    return findings


def _bad_chars(path: str) -> bool:
    if "\\" in path or ".." in path.split("/"):
        return True
    # Exactly the characters 32..126: ASCII (< 128) and printable (not 0..31, not 127).
    return not (path.isascii() and path.isprintable())
