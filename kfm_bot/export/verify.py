"""Checks a pack end to end and names the first thing that does not match."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from kfm_bot.attest.dsse import open_envelope
from kfm_bot.attest.statement import StatementError, check_against_manifest, statement_path
from kfm_bot.canonical import sha256_digest
from kfm_bot.export import layout, linked, prov
from kfm_bot.export.layout import PackError
from kfm_bot.ledger.records import manifest_path as promotion_manifest_path
from kfm_bot.models.catalog import ProvDocument
from kfm_bot.models.decision import PolicyDecision, decision_id_for
from kfm_bot.models.export_pack import ArtifactManifest, ExportReceipt, ExportSpec
from kfm_bot.models.manifest import PromotionManifest

M = TypeVar("M", bound=BaseModel)
_CHECKSUM_LINE = re.compile(r"^([0-9a-f]{64})  (\S(?:.*\S)?)$")


def verify_pack(files: Mapping[str, bytes]) -> str:
    """The pack_hash when every check passes; PackError naming the first mismatch otherwise."""
    for name in layout.PACK_DOCUMENTS:
        if name not in files:
            raise PackError(f"{name} is missing from the pack")
    _check_checksums(files)
    listing = _model(files, layout.ARTIFACT_MANIFEST, ArtifactManifest)
    _check_listing(files, listing)
    spec = _model(files, layout.EXPORT_SPEC, ExportSpec)
    receipt = _model(files, layout.EXPORT_RECEIPT, ExportReceipt)
    _model(files, layout.PROVENANCE, ProvDocument)
    provenance = json.loads(files[layout.PROVENANCE])
    roles = {item.path: item.role for item in listing.files}
    manifest_path = _one(roles, "manifest")
    decision_path = _one(roles, "decision")
    manifest = _model(files, manifest_path, PromotionManifest)
    decision = _model(files, decision_path, PolicyDecision)
    _check_promotion(files, manifest_path, decision_path, manifest, decision, receipt, spec)
    linked.check_pack(files, manifest)
    _check_statement(files, roles, manifest_path)
    broken = prov.unresolved(provenance, files)
    if broken is not None:
        raise PackError(f"{layout.PROVENANCE}: {broken}")
    _check_receipt(receipt, decision, provenance)
    recomputed = layout.pack_hash(files)
    if recomputed != receipt.pack_hash:
        raise PackError(
            f"pack_hash recomputes to {recomputed}, not the receipt's {receipt.pack_hash}"
        )
    outputs = {o.path: o.digest for o in receipt.outputs}
    hashed = {p: sha256_digest(b) for p, b in files.items() if p not in layout.OUTSIDE_PACK_HASH}
    if outputs != hashed:
        raise PackError(f"the outputs in {layout.EXPORT_RECEIPT} do not match the pack's files")
    return recomputed


def _check_checksums(files: Mapping[str, bytes]) -> None:
    try:
        lines = files[layout.CHECKSUMS].decode("utf-8").splitlines()
    except UnicodeDecodeError:
        raise PackError(f"{layout.CHECKSUMS} is not UTF-8 text") from None
    listed: dict[str, str] = {}
    for number, line in enumerate(lines, start=1):
        match = _CHECKSUM_LINE.match(line)
        if match is None:
            raise PackError(f"{layout.CHECKSUMS} line {number} is not `<sha256 hex>  <path>`")
        digest, path = match.groups()
        if path in listed:
            raise PackError(f"{layout.CHECKSUMS} lists {path} twice")
        listed[path] = digest
    if list(listed) != sorted(listed):
        raise PackError(f"{layout.CHECKSUMS} is not sorted by path")
    expected = {p: sha256_digest(b)[7:] for p, b in files.items() if p != layout.CHECKSUMS}
    _same_paths(set(listed), set(expected), layout.CHECKSUMS)
    for path, digest in listed.items():
        if expected[path] != digest:
            raise PackError(f"{path} does not match its digest in {layout.CHECKSUMS}")


def _check_listing(files: Mapping[str, bytes], listing: ArtifactManifest) -> None:
    paths = [item.path for item in listing.files]
    if len(set(paths)) != len(paths):
        raise PackError(f"{layout.ARTIFACT_MANIFEST} lists a file twice")
    expected = set(files) - layout.SELF_DESCRIBING
    _same_paths(set(paths), expected, layout.ARTIFACT_MANIFEST)
    for item in listing.files:
        if sha256_digest(files[item.path]) != item.digest:
            raise PackError(f"{item.path} does not match its digest in {layout.ARTIFACT_MANIFEST}")


def _same_paths(listed: set[str], present: set[str], where: str) -> None:
    missing = sorted(listed - present)
    if missing:
        raise PackError(f"{missing[0]} is listed in {where} but missing from the pack")
    extra = sorted(present - listed)
    if extra:
        raise PackError(f"{extra[0]} is in the pack but not listed in {where}")


def _check_promotion(
    files: Mapping[str, bytes],
    manifest_path: str,
    decision_path: str,
    manifest: PromotionManifest,
    decision: PolicyDecision,
    receipt: ExportReceipt,
    spec: ExportSpec,
) -> None:
    if sha256_digest(files[manifest_path]) != receipt.source.manifest_digest:
        raise PackError(f"{manifest_path} does not match the manifest_digest of the receipt")
    # Published zone objects are not pack files (a target renders them): files only here.
    named = [(a.path, a.digest) for a in manifest.artifacts if a.path is not None]
    for path, digest in named + [(c.path, c.digest) for c in manifest.catalogs]:
        if path not in files or sha256_digest(files[path]) != digest:
            raise PackError(f"{path} does not match the promotion manifest's digest")
    if decision_id_for(json.loads(files[decision_path])) != decision.decision_id:
        raise PackError("the policy decision does not match its own decision_id")
    if manifest.policy.decision_id != decision.decision_id:
        raise PackError("the promotion manifest names a different policy decision")
    identity = (manifest.dataset_slug, manifest.dataset_version_id)
    if manifest_path != promotion_manifest_path(*identity):
        raise PackError(f"{manifest_path} is not where the promotion manifest of its version lives")
    for name, doc in ((layout.EXPORT_SPEC, spec), (layout.EXPORT_RECEIPT, receipt)):
        if (doc.dataset_slug, doc.dataset_version_id) != identity:
            raise PackError(f"{name} names another dataset version than the promotion manifest")
    if receipt.policy.policy_label != manifest.policy.policy_label:
        raise PackError("the receipt's policy label differs from the promotion manifest's")
    if receipt.policy.target_label != spec.target_label:
        raise PackError("the receipt's target label differs from export_spec.json's")
    if receipt.created_at != manifest.released_at:
        raise PackError("the receipt's time is not the promotion manifest's released_at")


def statement_of(files: Mapping[str, bytes]) -> str | None:
    """The path of the pack's promotion statement (role `statement`), None when it has none
    (a rendered bundle, whose listing is its own `pack_manifest.json`, names none here)."""
    if layout.ARTIFACT_MANIFEST not in files:
        return None
    listing = ArtifactManifest.model_validate_json(files[layout.ARTIFACT_MANIFEST])
    found = [item.path for item in listing.files if item.role == "statement"]
    return found[0] if found else None


def _check_statement(files: Mapping[str, bytes], roles: Mapping[str, str], manifest: str) -> None:
    """The statement is about this very manifest and its artifacts (its signature is checked
    against trusted keys by the caller: a pack alone cannot say which keys to trust)."""
    found = [path for path, role in roles.items() if role == "statement"]
    if not found:
        return
    if len(found) > 1 or found[0] != statement_path(manifest):
        raise PackError(f"the pack's statement is not {statement_path(manifest)}")
    try:
        opened = open_envelope(files[found[0]], found[0])
    except StatementError as exc:
        raise PackError(exc.message) from None
    try:
        check_against_manifest(opened.statement, manifest, files[manifest])
    except StatementError as exc:
        raise PackError(f"{found[0]}: {exc.message}") from None


def _check_receipt(receipt: ExportReceipt, decision: PolicyDecision, provenance: Any) -> None:
    """The receipt is outside pack_hash: each field but `actor` must follow from hashed files."""
    why = layout.export_why(
        receipt.dataset_slug, receipt.dataset_version_id, receipt.policy.target_label
    )
    if receipt.why != why:
        raise PackError(f"the receipt's why is not the one an export of this version writes: {why}")
    if receipt.policy.decision_id != decision.decision_id:
        raise PackError("the receipt names a different policy decision than the pack holds")
    inputs, commits = prov.repository_inputs(provenance)
    if {i.path: i.digest for i in receipt.inputs} != inputs or len(inputs) != len(receipt.inputs):
        raise PackError(f"the inputs in {layout.EXPORT_RECEIPT} differ from {layout.PROVENANCE}")
    if commits != {receipt.source.promotion_commit}:
        raise PackError(
            f"the receipt's promotion_commit is not the commit {layout.PROVENANCE} read from"
        )


def _one(roles: Mapping[str, str], role: str) -> str:
    found = [path for path, r in roles.items() if r == role]
    if len(found) != 1:
        raise PackError(f"{layout.ARTIFACT_MANIFEST} must list exactly one file of role {role}")
    return found[0]


def _model(files: Mapping[str, bytes], path: str, model: type[M]) -> M:
    try:
        value: Any = json.loads(files[path])
        return model.model_validate(value)
    except ValueError as exc:  # ValidationError is a ValueError
        detail = _first_error(exc) if isinstance(exc, ValidationError) else "not valid JSON"
        raise PackError(f"{path} does not validate: {detail}") from None


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "(root)"
    return f"{where}: {err['msg']}"
