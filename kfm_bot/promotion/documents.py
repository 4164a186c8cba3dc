"""The promotion manifest and policy decision of one dataset version, from its merge commit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kfm_bot.canonical import sha256_digest
from kfm_bot.errors import GateFailure
from kfm_bot.gates.engine.runner import GateOutcome
from kfm_bot.models.decision import PolicyDecision, decision_id_for
from kfm_bot.models.manifest import PromotionManifest, principal_string
from kfm_bot.models.qa import QaReport
from kfm_bot.models.receipt import RunReceipt
from kfm_bot.models.spec import PipelineSpec
from kfm_bot.promotion.publish import published_artifacts
from kfm_bot.repo.documents import DocumentStore
from kfm_bot.repo.layout import POLICIES_DIR, SPECS_DIR, resolve_relative
from kfm_bot.repo.snapshot import under


@dataclass(frozen=True)
class ApprovalRecord:
    role: str
    user_id: int
    login: str
    approved_at: str


def rfc3339(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def dataset_version_id(spec_hash: str, epoch: int) -> str:
    """`<YYYY-MM>.<first 8 hex of spec_hash>`, the month being the promoting commit's (UTC)."""
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m") + "." + spec_hash[7:15]


def policies_digest(docs: DocumentStore) -> str:
    """One digest over every policy file of the snapshot: path and content digest, sorted."""
    snapshot = docs.snapshot
    # The policies folder's own trees, not the whole repository's listing (which grows with
    # every promotion's folder under registry/promotions).
    lines = sorted(f"{p}:{snapshot.digest(p)}" for p in under(snapshot, POLICIES_DIR + "/"))
    return sha256_digest("\n".join(lines).encode())


def build_decision(
    slug: str, spec: PipelineSpec, spec_hash: str, results: Sequence[GateOutcome], policies: str
) -> dict[str, Any]:
    rules = [{"rule": f"gate-{r.gate}", "outcome": r.status, "detail": r.name} for r in results]
    rules.append({"rule": "approvals", "outcome": "pass", "detail": "steward approvals present"})
    obligations = [{"kind": "attribution", "detail": spec.license.attribution}]
    if spec.redaction is not None and spec.redaction.method != "none":
        obligations.append({"kind": "redaction", "detail": spec.redaction.description})
    failed = any(r.status == "fail" for r in results)
    body: dict[str, Any] = {
        "kfm_policy_decision_version": "v1",
        "dataset_slug": slug,
        "spec_hash": spec_hash,
        "policy_label": spec.policy_label,
        "decision": "deny" if failed else "allow",
        "rules": rules,
        "obligations": obligations,
        "policies_digest": policies,
    }
    body["decision_id"] = decision_id_for(body)
    PolicyDecision.model_validate(body)
    return body


def _producing_receipt(docs: DocumentStore, spec: PipelineSpec, spec_hash: str) -> RunReceipt:
    base = f"{SPECS_DIR}/{spec.dataset_slug}"
    receipts = []
    for ref in spec.receipts:
        path = resolve_relative(base, ref)
        receipt = docs.model(path, RunReceipt) if path else None
        if receipt is not None and receipt.spec_hash == spec_hash:
            receipts.append(receipt)
    if not receipts:
        raise GateFailure(f"{spec.dataset_slug} has no run receipt for spec_hash {spec_hash}")
    return max(receipts, key=lambda r: (r.created_at, r.run_id))


def _require_pass(slug: str, qa: QaReport, receipt: RunReceipt) -> None:
    """Gate E said so already; the manifest builder checks again, so that no path (a gate
    skipped, a scope computed wrongly) writes a release whose QA or validation did not pass."""
    failed = [c.id for c in qa.checks if c.status == "fail"]
    if qa.status != "pass" or failed:
        why = f"checks {', '.join(failed)} fail" if failed and qa.status == "pass" else qa.status
        raise GateFailure(f"{slug}: the QA report says {why}; only a QA `pass` is promoted")
    if receipt.validation.status != "pass":
        raise GateFailure(
            f"{slug}: run {receipt.run_id} records validation.status "
            f"{receipt.validation.status}; only a validated run is promoted"
        )


def build_manifest(
    docs: DocumentStore,
    spec: PipelineSpec,
    spec_hash: str,
    version: str,
    released_at: str,
    decision_id: str,
    approvals: Sequence[ApprovalRecord],
) -> dict[str, Any]:
    base = f"{SPECS_DIR}/{spec.dataset_slug}"
    receipt = _producing_receipt(docs, spec, spec_hash)
    artifacts = [
        {
            "path": resolve_relative(base, o.path),
            "digest": o.digest,
            "media_type": o.media_type or "application/octet-stream",
        }
        for o in receipt.outputs
        if o.path
    ]
    artifacts += published_artifacts(spec, receipt)  # zone objects, at their published place
    catalog_refs = [spec.catalog.dcat, spec.catalog.stac, spec.catalog.prov]
    catalogs = []
    for ref in (r for r in catalog_refs if r):
        path = resolve_relative(base, ref)
        if path is None:
            raise GateFailure(f"{spec.dataset_slug}: catalog path {ref!r} leaves the dataset")
        catalogs.append({"path": path, "digest": docs.snapshot.digest(path)})
    qa_path = resolve_relative(base, spec.qa)
    qa = docs.model(qa_path, QaReport) if qa_path else None
    if qa is None or qa_path is None:
        raise GateFailure(f"{spec.dataset_slug}: the QA report {spec.qa!r} is missing or invalid")
    _require_pass(spec.dataset_slug, qa, receipt)
    manifest = {
        "kfm_promotion_manifest_version": "v1",
        "dataset_slug": spec.dataset_slug,
        "dataset_version_id": version,
        "spec_hash": spec_hash,
        "released_at": released_at,
        "artifacts": sorted(artifacts, key=lambda a: str(a.get("path") or a.get("uri"))),
        "catalogs": catalogs,
        "qa": {"status": qa.status, "report_digest": docs.snapshot.digest(qa_path)},
        "policy": {"policy_label": spec.policy_label, "decision_id": decision_id},
        "approvals": [
            {
                "role": a.role,
                "principal": principal_string(a.user_id, a.login),
                "approved_at": a.approved_at,
            }
            for a in sorted(approvals, key=lambda a: (a.role, a.user_id, a.approved_at))
        ],
    }
    PromotionManifest.model_validate(manifest)
    return manifest
