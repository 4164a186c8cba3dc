"""Names, roles and hashes every export pack shares: what writer and verifier agree on."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from kfm_bot.canonical import sha256_digest
from kfm_bot.errors import GateFailure

EXPORT_SPEC = "export_spec.json"
ARTIFACT_MANIFEST = "artifact_manifest.json"
CHECKSUMS = "checksums.txt"
EXPORT_RECEIPT = "export_receipt.json"
PROVENANCE = "provenance.json"
PACK_DOCUMENTS = (EXPORT_SPEC, ARTIFACT_MANIFEST, CHECKSUMS, EXPORT_RECEIPT, PROVENANCE)
# Files that describe the others, so none of them can be listed in artifact_manifest.json.
SELF_DESCRIBING = frozenset({ARTIFACT_MANIFEST, EXPORT_RECEIPT, CHECKSUMS})
# pack_hash covers every file but these two: the receipt records it, checksums.txt lists it.
# The receipt is also the one file that names who ran the export, so two maintainers who
# export the same version get the same pack_hash; verify rechecks every other receipt field.
OUTSIDE_PACK_HASH = frozenset({EXPORT_RECEIPT, CHECKSUMS})
JSON_MEDIA_TYPE = "application/json"
YAML_MEDIA_TYPE = "application/yaml"
TEXT_MEDIA_TYPE = "text/plain; charset=utf-8"


class PackError(GateFailure):
    """An export refused or a pack that does not verify: exit 1 with one sentence."""


def file_digest(data: bytes) -> str:
    return sha256_digest(data)


def pack_hash(files: Mapping[str, bytes]) -> str:
    """sha256 over the sorted `path:digest` lines of every file except receipt and checksums."""
    lines = sorted(
        f"{path}:{file_digest(data)}"
        for path, data in files.items()
        if path not in OUTSIDE_PACK_HASH
    )
    return sha256_digest("\n".join(lines).encode("utf-8"))


def checksums_text(files: Mapping[str, bytes]) -> bytes:
    """`sha256sum` output for every file but checksums.txt itself, sorted by path."""
    lines = [
        f"{hashlib.sha256(files[path]).hexdigest()}  {path}\n"
        for path in sorted(files)
        if path != CHECKSUMS
    ]
    return "".join(lines).encode("utf-8")


def export_why(slug: str, version: str, target: str) -> str:
    """The receipt's `why`: fixed by what was exported, so verify can recompute it."""
    return f"export of the promoted version {slug}/{version} into a pack labelled {target}"


def tar_root(slug: str, version: str) -> str:
    """The one top-level folder of a pack's tarball, so extracting it never spills files."""
    return f"{slug}-{version}"
