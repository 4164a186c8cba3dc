"""`verify --repo`: a pack is what a repository promoted, not merely consistent with itself.

A forger can edit a pack and recompute every digest, `checksums.txt` and `pack_hash`. What
they cannot recompute is the repository: the promotion manifest committed at
`registry/promotions/<slug>/<version>/`, the ledger line of that version and the annotated
release tag `<slug>/<version>`, whose message carries the manifest digest. The pack's manifest
must match all three, and every hashed file must be the one the bot exports from that
promotion commit (rebuilt here), so an edit anywhere is named.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kfm_bot.canonical import sha256_digest
from kfm_bot.errors import UsageError
from kfm_bot.export import build, layout, promoted
from kfm_bot.export.layout import PackError
from kfm_bot.git import read
from kfm_bot.git.gitdir import GitDir
from kfm_bot.ledger.records import manifest_path, verified
from kfm_bot.models.export_pack import ExportReceipt, ExportSpec
from kfm_bot.repo.snapshot import CommitSnapshot

if TYPE_CHECKING:
    from kfm_bot.ledger.chain import Ledger
    from kfm_bot.models.ledger import LedgerRecord

_TAG_FIELD = re.compile(r"^(Manifest-Digest|spec_hash): (\S+)$", re.MULTILINE)


@dataclass(frozen=True)
class Binding:
    """Where the repository records the pack's version."""

    tag: str
    ledger_seq: int
    commit: str


def bind(files: Mapping[str, bytes], repo_dir: Path, ref: str) -> Binding:
    """The binding of a self-consistent pack; PackError naming the first mismatch otherwise."""
    spec = ExportSpec.model_validate_json(files[layout.EXPORT_SPEC])
    receipt = ExportReceipt.model_validate_json(files[layout.EXPORT_RECEIPT])
    slug, version = spec.dataset_slug, spec.dataset_version_id
    name, path = f"{slug}/{version}", manifest_path(slug, version)
    ours = files[path]
    repo = GitDir(repo_dir)
    head = CommitSnapshot(repo, read.resolve(repo, ref))
    ledger = _match_committed(head, path, ours, f"{repo_dir} at {ref}")
    entry = _ledger_line(ledger, name, repo_dir)
    _match_ledger(entry, json.loads(ours), receipt)
    tagged = match_tag(repo, name, sha256_digest(ours), entry["spec_hash"])
    found = promoted.locate(repo, ref, slug, version)
    if tagged != found.commit:
        raise PackError(
            f"the release tag {name} points at {tagged[:12]}, not at the promotion commit "
            f"{found.commit[:12]}"
        )
    if receipt.source.promotion_commit != found.commit:
        raise PackError(
            f"the receipt names the promotion commit {receipt.source.promotion_commit[:12]}, "
            f"but {repo_dir} promoted {name} in {found.commit[:12]}"
        )
    _match_rebuild(files, found, spec, receipt.actor, repo_dir)
    return Binding(name, int(entry["seq"]), found.commit)


def _match_committed(head: CommitSnapshot, path: str, ours: bytes, where: str) -> Ledger:
    """The repository's ledger, once its records verify and hold this very manifest at its
    place."""
    ledger, findings = verified(head)
    if findings:
        first = findings[0]
        raise PackError(f"the ledger of {where} does not verify: {first.path}: {first.message}")
    if head.entry(path) is None:
        raise PackError(f"{where} has no promotion of this pack's version ({path} is missing)")
    committed = head.read(path)
    if committed != ours:
        raise PackError(
            f"the pack's promotion manifest is not the one {where} committed at {path}: "
            f"{_first_difference(ours, committed)}"
        )
    return ledger


def _first_difference(ours: bytes, theirs: bytes) -> str:
    """The first top-level field that differs, so the message says what was changed."""
    try:
        mine, other = json.loads(ours), json.loads(theirs)
    except ValueError:
        mine, other = None, None
    if isinstance(mine, dict) and isinstance(other, dict):
        for key in sorted(set(mine) | set(other)):
            if mine.get(key) != other.get(key):
                return f"its {key!r} field differs"
    return f"its digest is {sha256_digest(ours)}, not {sha256_digest(theirs)}"


def _ledger_line(ledger: Ledger, name: str, repo_dir: Path) -> LedgerRecord:
    slug, _, version = name.partition("/")
    entry = ledger.find(slug, version)
    if entry is None:  # verify_repository refuses a manifest without a line; fail closed anyway
        raise PackError(f"the ledger of {repo_dir} has no line for {name}")
    return entry


def _match_ledger(entry: LedgerRecord, manifest: dict[str, Any], receipt: ExportReceipt) -> None:
    line = entry["seq"]
    for field, value in (
        ("spec_hash", manifest["spec_hash"]),
        ("decision_id", manifest["policy"]["decision_id"]),
    ):
        if entry.get(field) != value:
            raise PackError(
                f"the pack's {field} {value} is not the {entry.get(field)} of ledger line {line}"
            )
    if receipt.source.ledger_seq != line:
        raise PackError(f"the receipt names ledger line {receipt.source.ledger_seq}, not {line}")


def match_tag(repo: GitDir, name: str, digest: str, spec_hash: str) -> str:
    """The commit the annotated tag points at, once its message names the pack's manifest."""
    obj = read.tag_object(repo, name)
    if not obj:
        raise PackError(f"the release tag {name} is missing; fetch the tags (git fetch --tags)")
    if read.object_type(repo, obj) != "tag":
        raise PackError(f"the release tag {name} is not an annotated tag")
    head, _, message = read.tag_text(repo, obj).partition("\n\n")
    fields = dict(_TAG_FIELD.findall(message))
    for field, value in (("Manifest-Digest", digest), ("spec_hash", spec_hash)):
        if fields.get(field) != value:
            raise PackError(
                f"the release tag {name} carries {field} {fields.get(field, '(none)')}, "
                f"not the pack's {value}"
            )
    target = re.search(r"^object ([0-9a-f]{40})$", head, re.MULTILINE)
    return target.group(1) if target else ""


def _match_rebuild(
    files: Mapping[str, bytes],
    found: promoted.Promoted,
    spec: ExportSpec,
    actor: str,
    repo_dir: Path,
) -> None:
    try:
        pack = build.build(found, spec.target_label, spec.format, actor)
    except (PackError, UsageError) as exc:
        raise PackError(f"{repo_dir} would not export this pack: {exc}") from None
    # Copied repository files first, then the pack's own documents that describe them, so
    # the message names the file that was edited rather than a listing that follows from it.
    paths = sorted(
        (set(files) | set(pack.files)) - layout.OUTSIDE_PACK_HASH,
        key=lambda p: (p in layout.PACK_DOCUMENTS, p),
    )
    for path in paths:
        if path not in files:
            raise PackError(f"{path} is missing from the pack; {repo_dir} exports it")
        if path not in pack.files:
            raise PackError(f"{path} is in the pack but {repo_dir} does not export it")
        if files[path] != pack.files[path]:
            raise PackError(f"{path} is not the file {repo_dir} exports for this version")
