"""Assembles an export pack in memory: every file's path and exact bytes, and the pack_hash."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from kfm_bot.canonical import json_file_bytes, sha256_digest
from kfm_bot.errors import UsageError
from kfm_bot.export import layout
from kfm_bot.export.labels import LABELS_PATH, check_label
from kfm_bot.export.linked import read_linked
from kfm_bot.export.promoted import Promoted, read_named_files
from kfm_bot.export.prov import provenance
from kfm_bot.models.decision import PolicyDecision, decision_id_for
from kfm_bot.models.export_pack import ACTOR_PATTERN, ArtifactManifest, ExportReceipt, ExportSpec
from kfm_bot.models.manifest import PromotionManifest

ACTOR_ENV = "GITHUB_ACTOR"
DEFAULT_ACTOR = "kfm-bot"


@dataclass(frozen=True)
class Pack:
    slug: str
    version: str
    released_at: str
    files: dict[str, bytes]
    pack_hash: str


def export_actor() -> str:
    actor = os.environ.get(ACTOR_ENV) or DEFAULT_ACTOR
    if not re.fullmatch(ACTOR_PATTERN, actor):
        raise UsageError(f"${ACTOR_ENV} is not a plain account name; unset it or fix it")
    return actor


def build(promoted: Promoted, target: str, fmt: str, actor: str) -> Pack:
    """The pack of a promoted version for a `target`-labelled deliverable; PackError if refused."""
    label = check_label(promoted, target)
    _validate(PromotionManifest, promoted.manifest, promoted.manifest_path)
    _validate(PolicyDecision, promoted.decision, promoted.decision_path)
    decision_id = promoted.decision["decision_id"]
    if decision_id_for(promoted.decision) != decision_id:
        raise layout.PackError(f"{promoted.decision_path} does not match its own decision_id")
    if promoted.manifest["policy"]["decision_id"] != decision_id:
        raise layout.PackError("the promotion manifest names a different policy decision")
    read_named_files(promoted)
    linked = read_linked(promoted)
    roles = _content_roles(promoted)
    roles.update({path: (role, _media_type(path)) for path, role in linked.items()})
    files = {path: _content_bytes(promoted, path) for path in roles}
    released_at = promoted.manifest["released_at"]
    spec = {
        "kfm_export_spec_version": "v1",
        "dataset_slug": promoted.slug,
        "dataset_version_id": promoted.version,
        "target_label": target,
        "format": fmt,
    }
    files[layout.EXPORT_SPEC] = _document(ExportSpec, spec)
    roles[layout.EXPORT_SPEC] = ("export_spec", layout.JSON_MEDIA_TYPE)
    inputs = {path: sha256_digest(files[path]) for path in sorted(promoted.files)}
    inputs[promoted.manifest_path] = promoted.manifest_digest
    inputs[promoted.decision_path] = sha256_digest(promoted.decision_bytes)
    if promoted.statement_bytes is not None:
        inputs[promoted.statement_path] = sha256_digest(promoted.statement_bytes)
    inputs[LABELS_PATH] = promoted.snapshot.digest(LABELS_PATH)
    activity = f"kfm:export/{promoted.slug}/{promoted.version}/{target}"
    # Who ran the export is not in PROV: it would change pack_hash (it is in the receipt).
    prov = provenance(activity, released_at, promoted.commit, inputs, dict(files))
    files[layout.PROVENANCE] = json_file_bytes(prov)
    roles[layout.PROVENANCE] = ("provenance", layout.JSON_MEDIA_TYPE)
    listing = [
        {"path": p, "role": r, "digest": sha256_digest(files[p]), "media_type": m}
        for p, (r, m) in sorted(roles.items())
    ]
    artifact_manifest = {"kfm_export_artifact_manifest_version": "v1", "files": listing}
    files[layout.ARTIFACT_MANIFEST] = _document(ArtifactManifest, artifact_manifest)
    digest = layout.pack_hash(files)
    receipt = {
        "kfm_export_receipt_version": "v1",
        "actor": actor,
        "operation": "export",
        "dataset_slug": promoted.slug,
        "dataset_version_id": promoted.version,
        "created_at": released_at,
        "why": layout.export_why(promoted.slug, promoted.version, target),
        "source": {
            "promotion_commit": promoted.commit,
            "ledger_seq": promoted.ledger_seq,
            "manifest_digest": promoted.manifest_digest,
        },
        "inputs": [{"path": p, "digest": d} for p, d in sorted(inputs.items())],
        "outputs": [
            {"path": p, "digest": sha256_digest(b)}
            for p, b in sorted(files.items())
            if p not in layout.OUTSIDE_PACK_HASH
        ],
        "policy": {
            "policy_label": label,
            "target_label": target,
            "decision_id": decision_id,
            "decision": "allow",
            "label_check": "allow",
        },
        "pack_hash": digest,
    }
    files[layout.EXPORT_RECEIPT] = _document(ExportReceipt, receipt)
    files[layout.CHECKSUMS] = layout.checksums_text(files)
    return Pack(promoted.slug, promoted.version, released_at, files, digest)


def _content_roles(promoted: Promoted) -> dict[str, tuple[str, str]]:
    roles: dict[str, tuple[str, str]] = {}
    for item in promoted.manifest["artifacts"]:
        if "path" in item:  # a published zone object is rendered by an export target, not copied
            roles[item["path"]] = ("artifact", item["media_type"])
    for item in promoted.manifest["catalogs"]:
        roles.setdefault(item["path"], ("catalog", _media_type(item["path"])))
    roles[promoted.manifest_path] = ("manifest", layout.JSON_MEDIA_TYPE)
    roles[promoted.decision_path] = ("decision", layout.JSON_MEDIA_TYPE)
    if promoted.statement_bytes is not None:  # the signed promotion record travels with the pack
        roles[promoted.statement_path] = ("statement", layout.JSON_MEDIA_TYPE)
    clash = sorted(set(roles) & set(layout.PACK_DOCUMENTS))
    if clash:
        raise layout.PackError(f"the manifest names {clash[0]}, a name the pack itself uses")
    return roles


def _content_bytes(promoted: Promoted, path: str) -> bytes:
    if path == promoted.manifest_path:
        return promoted.manifest_bytes
    if path == promoted.decision_path:
        return promoted.decision_bytes
    if path == promoted.statement_path and promoted.statement_bytes is not None:
        return promoted.statement_bytes
    return promoted.files[path]


def _media_type(path: str) -> str:
    if path.endswith(".json"):
        return layout.JSON_MEDIA_TYPE
    if path.endswith((".yaml", ".yml")):
        return layout.YAML_MEDIA_TYPE
    return "application/octet-stream"


def _validate(model: type[BaseModel], value: Any, path: str) -> None:
    try:
        model.model_validate(value)
    except ValidationError as exc:
        where = ".".join(str(p) for p in exc.errors()[0]["loc"]) or "(root)"
        raise layout.PackError(
            f"{path} does not validate: {where}: {exc.errors()[0]['msg']}"
        ) from None


def _document(model: type[BaseModel], value: dict[str, Any]) -> bytes:
    model.model_validate(value)
    return json_file_bytes(value)
