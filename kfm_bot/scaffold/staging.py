"""Write a set of new files all or nothing, never over an existing file.

Every file is written first into a staging folder on the same file system; only when all of
them are there do they move into place (one rename for a new folder, one per file
otherwise), and a failure part-way removes what had moved. So an interrupted `init` or `new`
leaves no half-written repository or dataset behind.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from kfm_bot.errors import UsageError


def existing(root: Path, files: Mapping[str, bytes]) -> list[str]:
    return sorted(rel for rel in files if (root / rel).exists() or (root / rel).is_symlink())


def write_new(
    root: Path, files: Mapping[str, bytes], prepare: Callable[[Path], None] | None = None
) -> list[str]:
    """Create every `files` path (relative, `/`-separated) under `root`; returns what was
    written, sorted. `prepare` may complete the staged tree first (compute digests, `git
    init`). Refuses, changing nothing, when any of the files exists already."""
    if root.is_symlink() and not root.exists():
        raise UsageError(f"{root} is a symbolic link to nothing; name a real folder")
    _no_linked_folder(root, files)
    clash = existing(root, files)
    if clash:
        shown = ", ".join(clash[:5]) + (f" and {len(clash) - 5} more" if len(clash) > 5 else "")
        raise UsageError(f"{root}: refusing to overwrite {shown}")
    parent = root if root.is_dir() else root.parent
    parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".kfm-staging-", dir=parent))
    try:
        for rel, data in files.items():
            path = stage / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        if prepare is not None:
            prepare(stage)
        written = sorted(p.relative_to(stage).as_posix() for p in stage.rglob("*") if p.is_file())
        if not root.exists():
            stage.rename(root)  # the whole new folder appears at once
        else:
            _move_in(stage, root, written)
    except OSError as exc:  # a full disk, a read-only folder: what had moved is undone
        raise UsageError(f"{root}: cannot write ({exc.strerror}); nothing was written") from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return written


def _no_linked_folder(root: Path, files: Mapping[str, bytes]) -> None:
    """UsageError when a folder a new file goes into is a symlink (below `root`, which the
    caller named): a checked-out `registry/ -> /elsewhere` would put the files outside."""
    folders = {parent for rel in files for parent in Path(rel).parents if parent != Path()}
    for folder in sorted(folders):
        if (root / folder).is_symlink():
            raise UsageError(
                f"{root / folder} is a symbolic link; kfm-bot writes new files only into real"
                " folders of the repository"
            )


def _move_in(stage: Path, root: Path, rels: list[str]) -> None:
    moved: list[Path] = []
    made: list[Path] = []
    try:
        for rel in rels:
            target = root / rel
            for folder in reversed(target.relative_to(root).parents[:-1]):
                if not (root / folder).exists():
                    (root / folder).mkdir()
                    made.append(root / folder)
            if target.exists():  # appeared since the check: leave it, undo ours
                raise UsageError(f"{target} appeared while writing; nothing was written")
            (stage / rel).replace(target)
            moved.append(target)
    except BaseException:
        for path in reversed(moved):
            path.unlink(missing_ok=True)
        for folder in reversed(made):
            folder.rmdir()
        raise
