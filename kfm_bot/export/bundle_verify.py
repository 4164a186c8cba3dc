"""Checks a rendered-target pack (`geojson_bundle`) and names the first thing that does not match.

Renderings may be large, so a pack folder is hashed file by file in chunks; only the small
documents are parsed. Checked: checksums.txt against every file; pack_manifest.json's files
against the pack; provenance.json resolves inside the pack; every item's state (a rendered
item names its file and digest, a withheld one its reason); the receipt against the manifest;
pack_hash; and, with a repository, the ledger line, promotion commit, manifest digest and
release tag, and the spec, receipts, QA report, promotion manifest and signed statements
against the promotion commit, byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from kfm_bot.canonical import sha256_digest
from kfm_bot.export.bind import Binding, match_tag
from kfm_bot.export.bundle_pack import CHECKSUMS, PACK_MANIFEST, PROVENANCE, RECEIPT
from kfm_bot.export.layout import PackError
from kfm_bot.export.reader import MAX_FILES
from kfm_bot.models.export_bundle import BundleManifest, BundleReceipt

M = TypeVar("M", bound=BaseModel)
_LINE = re.compile(r"^([0-9a-f]{64})  (\S(?:.*\S)?)$")
DESCRIBING = frozenset({PACK_MANIFEST, RECEIPT, CHECKSUMS})


def is_bundle(path: Path, files: Mapping[str, bytes] | None = None) -> bool:
    if files is not None:
        return PACK_MANIFEST in files
    return path.is_dir() and (path / PACK_MANIFEST).is_file()


def directory_digests(root: Path) -> dict[str, str]:
    """Every file of a pack folder and its sha256, read in chunks; links and devices refused."""
    digests: dict[str, str] = {}
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names) + [d for d in dirs if Path(folder, d).is_symlink()]:
            full = Path(folder, name)
            rel = full.relative_to(root).as_posix()
            if not stat.S_ISREG(os.lstat(full).st_mode):
                raise PackError(
                    f"{rel} is not a regular file (a link or device); a pack holds none"
                )
            if len(digests) >= MAX_FILES:
                raise PackError(f"{rel}: the pack holds more than {MAX_FILES} files")
            sha = hashlib.sha256()
            with full.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    sha.update(chunk)
            digests[rel] = "sha256:" + sha.hexdigest()
    return digests


@dataclass(frozen=True)
class Checked:
    receipt: BundleReceipt
    manifest: BundleManifest


def verify_bundle(digests: Mapping[str, str], read: Callable[[str], bytes]) -> Checked:
    """The receipt and manifest of a self-consistent pack; PackError naming the first mismatch
    otherwise."""
    for name in sorted(DESCRIBING):
        if name not in digests:
            raise PackError(f"{name} is missing from the pack")
    _checksums(digests, read(CHECKSUMS))
    manifest = _model(read, PACK_MANIFEST, BundleManifest)
    listed = {f.path: f.digest for f in manifest.files}
    if len(listed) != len(manifest.files):
        raise PackError(f"{PACK_MANIFEST} lists a file twice")
    _same(set(listed), set(digests) - DESCRIBING, PACK_MANIFEST)
    for path, digest in sorted(listed.items()):
        if digests[path] != digest:
            raise PackError(f"{path} does not match its digest in {PACK_MANIFEST}")
    _provenance(manifest, digests, read)
    for item in manifest.items:
        if item.state == "withheld":
            if item.reason is None or item.path is not None:
                raise PackError(f"{PACK_MANIFEST}: the withheld item {item.source} needs a reason")
        elif item.path is None or listed.get(item.path) != item.digest:
            raise PackError(f"{PACK_MANIFEST}: the {item.state} item {item.source} names no file")
    receipt = _model(read, RECEIPT, BundleReceipt)
    for name in ("dataset_slug", "dataset_version_id", "target"):
        if getattr(receipt, name) != getattr(manifest, name):
            raise PackError(f"{RECEIPT} names another {name} than {PACK_MANIFEST}")
    if receipt.created_at != manifest.released_at:
        raise PackError(f"the receipt's time is not the released_at of {PACK_MANIFEST}")
    if receipt.generalisation_applied != manifest.generalisation:
        raise PackError(f"{RECEIPT} records another generalisation than {PACK_MANIFEST}")
    states = [(i.source, i.state, i.path, i.digest) for i in receipt.items]
    if states != [(i.source, i.state, i.path, i.digest) for i in manifest.items]:
        raise PackError(f"the items of {RECEIPT} differ from those of {PACK_MANIFEST}")
    hashed = {p: d for p, d in digests.items() if p not in (RECEIPT, CHECKSUMS)}
    if {o.path: o.digest for o in receipt.outputs} != hashed:
        raise PackError(f"the outputs in {RECEIPT} do not match the pack's files")
    recomputed = sha256_digest("\n".join(sorted(f"{p}:{d}" for p, d in hashed.items())).encode())
    if recomputed != receipt.pack_hash:
        raise PackError(
            f"pack_hash recomputes to {recomputed}, not the receipt's {receipt.pack_hash}"
        )
    return Checked(receipt, manifest)


def _provenance(
    manifest: BundleManifest, digests: Mapping[str, str], read: Callable[[str], bytes]
) -> None:
    """The pack's PROV is there, listed as such, and every file it names is in the pack."""
    from kfm_bot.export.prov import unresolved_digests

    roles = {f.path: f.role for f in manifest.files}
    if roles.get(PROVENANCE) != "provenance":
        raise PackError(f"{PROVENANCE} is missing from the pack or not listed as its provenance")
    try:
        doc = json.loads(read(PROVENANCE))
    except ValueError:
        raise PackError(f"{PROVENANCE} is not valid JSON") from None
    problem = unresolved_digests(doc, digests)
    if problem is not None:
        raise PackError(f"{PROVENANCE}: {problem}")


def bind_bundle(checked: Checked, repo_dir: Path, ref: str) -> Binding:
    """The repository records the pack's version as the receipt says: ledger line, promotion
    commit, manifest digest and release tag; and the pack's repository documents (spec,
    receipts, QA report, promotion manifest, signed statements) are exactly those committed at
    the promotion commit, byte for byte."""
    from kfm_bot.export.bundle_docs import pack_documents

    receipt = checked.receipt
    from kfm_bot.export import promoted
    from kfm_bot.git.gitdir import GitDir
    from kfm_bot.ledger.segments import read_ledger

    repo = GitDir(repo_dir)
    slug, version = receipt.dataset_slug, receipt.dataset_version_id
    name = f"{slug}/{version}"
    found = promoted.locate(repo, ref, slug, version)  # ledger verified, manifest digest checked
    source = receipt.source
    if (source.promotion_commit, source.ledger_seq, source.manifest_digest) != (
        found.commit,
        found.ledger_seq,
        found.manifest_digest,
    ):
        raise PackError(
            f"the receipt's promotion commit, ledger line or manifest digest is not what "
            f"{repo_dir} records for {name}"
        )
    entry = read_ledger(found.snapshot).find(slug, version)
    spec_hash = str(entry["spec_hash"]) if entry is not None else ""
    if match_tag(repo, name, found.manifest_digest, spec_hash) != found.commit:
        raise PackError(f"the release tag {name} does not point at the promotion commit")
    committed = {
        path: (role, sha256_digest(data)) for path, (role, data) in pack_documents(found).items()
    }
    carried = {
        f.path: (f.role, f.digest)
        for f in checked.manifest.files
        if f.role not in ("rendering", "provenance")
    }
    for path in sorted(set(committed) | set(carried)):
        if path not in carried:
            raise PackError(f"{path} is committed at the promotion commit but not in the pack")
        if path not in committed:
            raise PackError(f"{path} is in the pack but not committed at the promotion commit")
        if carried[path] != committed[path]:
            raise PackError(
                f"{path} in the pack is not the {committed[path][0]} committed at the "
                f"promotion commit {found.commit[:12]}"
            )
    return Binding(name, found.ledger_seq, found.commit)


def _checksums(digests: Mapping[str, str], data: bytes) -> None:
    try:
        lines = data.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        raise PackError(f"{CHECKSUMS} is not UTF-8 text") from None
    listed: dict[str, str] = {}
    for number, line in enumerate(lines, start=1):
        match = _LINE.match(line)
        if match is None or match.group(2) in listed:
            raise PackError(f"{CHECKSUMS} line {number} is not a `<sha256 hex>  <path>` of its own")
        listed[match.group(2)] = "sha256:" + match.group(1)
    if list(listed) != sorted(listed):
        raise PackError(f"{CHECKSUMS} is not sorted by path")
    _same(set(listed), set(digests) - {CHECKSUMS}, CHECKSUMS)
    for path, digest in listed.items():
        if digests[path] != digest:
            raise PackError(f"{path} does not match its digest in {CHECKSUMS}")


def _same(listed: set[str], present: set[str], where: str) -> None:
    for missing in sorted(listed - present)[:1]:
        raise PackError(f"{missing} is listed in {where} but missing from the pack")
    for extra in sorted(present - listed)[:1]:
        raise PackError(f"{extra} is in the pack but not listed in {where}")


def _model(read: Callable[[str], bytes], path: str, model: type[M]) -> M:
    try:
        return model.model_validate_json(read(path))
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "(root)"
        raise PackError(f"{path} does not validate: {where}: {err['msg']}") from None
