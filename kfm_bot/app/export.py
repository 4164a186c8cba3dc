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
    from kfm_bot.canonical import sha256_digest
    from kfm_bot.export import bundle_verify
    from kfm_bot.export.bind import bind
    from kfm_bot.export.reader import read_pack
    from kfm_bot.export.verify import verify_pack as self_check

    if bundle_verify.is_bundle(path):  # a rendered folder: hashed in chunks, never loaded
        digests = bundle_verify.directory_digests(path)
        checked = bundle_verify.verify_bundle(digests, lambda name: (path / name).read_bytes())
        found = bundle_verify.bind_bundle(checked, repo_dir, ref) if repo_dir else None
        return Verified(checked.receipt.pack_hash, {}, found)  # statement: bind_bundle
    files = read_pack(path)
    if bundle_verify.is_bundle(path, files):  # a rendered pack's tarball (size-capped)
        digests = {name: sha256_digest(data) for name, data in files.items()}
        checked = bundle_verify.verify_bundle(digests, files.__getitem__)
        found = bundle_verify.bind_bundle(checked, repo_dir, ref) if repo_dir else None
        return Verified(checked.receipt.pack_hash, {}, found)  # statement: bind_bundle
    pack_hash = self_check(files)
    return Verified(pack_hash, files, bind(files, repo_dir, ref) if repo_dir is not None else None)


def export_bundle(
    repo_dir: Path,
    ref: str,
    slug: str,
    version: str,
    target: str,
    out: Path,
    tarball: bool,
    zone_url: str | None,
    dry_run: bool,
    say: Callable[[str], None],
) -> None:
    """Render a promoted version's published artifacts as a `geojson_bundle` pack, with the
    redaction plan applied; `dry_run` prints the plan and reads and writes nothing."""
    from kfm_bot.export import build, bundle_docs, bundle_pack, labels, pack_plan, promoted, writer
    from kfm_bot.export.zone_source import published_zone
    from kfm_bot.git.gitdir import GitDir

    found = promoted.locate(GitDir(repo_dir), ref, slug, version)
    label = labels.check_label(found, target)
    plan = pack_plan.make_plan(found, label, target, labels.requires_redaction(found, label))
    for line in plan.lines():
        say(line)
    if dry_run:
        say(f"dry run: nothing read from the published zone, nothing written to {out}")
        return
    zone = published_zone(found, repo_dir, zone_url)
    identity = {
        "promotion_commit": found.commit,
        "ledger_seq": found.ledger_seq,
        "manifest_digest": found.manifest_digest,
    }
    documents = bundle_docs.pack_documents(found)
    digest = bundle_pack.write_pack(plan, zone, out, identity, documents, build.export_actor(), say)
    say(f"wrote {out}")
    if tarball:
        path = writer.tarball_path(out)
        bundle_pack.write_tarball(out, path, slug, version, plan.released_at)
        say(f"wrote {path}")
    say(f"pack_hash {digest}")
