"""Export a promoted version as a pack, and verify a pack (`kfm-bot export`, `kfm-bot verify`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kfm_bot.export.bind import Binding


def export_pack(
    repo_dir: Path,
    ref: str,
    slug: str,
    version: str,
    target: str,
    out: Path,
    tarball: bool,
    say: Callable[[str], None],
) -> None:
    """Build the pack of a version the ledger at `ref` records, write it, and say what was
    written as it is written (the folder stays when the tarball then fails)."""
    from kfm_bot.export import build, promoted, writer
    from kfm_bot.git.gitdir import GitDir

    repo = GitDir(repo_dir)
    found = promoted.locate(repo, ref, slug, version)
    pack = build.build(found, target, "tar.gz" if tarball else "directory", build.export_actor())
    writer.write_directory(pack, out)
    say(f"wrote {out} ({len(pack.files)} files)")
    if tarball:
        path = writer.tarball_path(out)
        writer.write_tarball(pack, path)
        say(f"wrote {path}")
    say(f"pack_hash {pack.pack_hash}")


@dataclass(frozen=True)
class Verified:
    pack_hash: str
    files: Mapping[str, bytes]
    binding: Binding | None  # None: checked against itself only, not against a repository


def verify_pack(path: Path, repo_dir: Path | None, ref: str) -> Verified:
    """The pack's hash once it is self-consistent, and its binding to the repository's ledger,
    manifest and release tag when a repository is given; PackError at the first mismatch."""
    from kfm_bot.export.bind import bind
    from kfm_bot.export.reader import read_pack
    from kfm_bot.export.verify import verify_pack as self_check

    files = read_pack(path)
    pack_hash = self_check(files)
    return Verified(pack_hash, files, bind(files, repo_dir, ref) if repo_dir is not None else None)
