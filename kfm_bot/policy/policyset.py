"""The policy files of one snapshot, parsed once: labels, licences, stewards, approvals and more."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from kfm_bot.findings import Finding, error
from kfm_bot.models.policies import (
    ApprovalsPolicy,
    LabelsPolicy,
    LicensesPolicy,
    QuarantinePolicy,
    StewardsPolicy,
)
from kfm_bot.models.storage import StoragePolicy
from kfm_bot.repo.documents import DocumentStore

LABELS = "policies/labels.yaml"
LICENSES = "policies/licenses.yaml"
STEWARDS = "policies/stewards.yaml"
APPROVALS = "policies/approvals.yaml"
QUARANTINE = "policies/quarantine.yaml"
STORAGE = "policies/storage.yaml"  # optional: a registry without zone objects needs none


@dataclass
class PolicySet:
    """Each policy is None when its file is missing or invalid; `findings` says why.

    Gate F reports `findings`, so a broken policy file fails closed.
    """

    labels: LabelsPolicy | None
    licenses: LicensesPolicy | None
    stewards: StewardsPolicy | None
    approvals: ApprovalsPolicy | None
    source: str  # label of the snapshot the policies were read from
    findings: list[Finding] = field(default_factory=list)
    quarantine: QuarantinePolicy | None = None
    storage: StoragePolicy | None = None

    def label_rank(self, label: str | None) -> int | None:
        if self.labels is None or label is None or label not in self.labels.labels:
            return None
        return self.labels.labels[label].rank


def _one(docs: DocumentStore, path: str, cls: type[Any], findings: list[Finding]) -> Any:
    loaded = docs.load(path)
    if loaded is None:
        findings.append(error("F.policy-missing", f"{path} is missing; restore it from main", path))
        return None
    findings.extend(loaded.findings)
    model: BaseModel | None = docs.model(path, cls)
    if model is None:
        findings.extend(docs.schema_findings.get(path, []))
    return model


def load_policies(docs: DocumentStore) -> PolicySet:
    """Parse the policies of `docs`' snapshot (the base commit when there is one)."""
    findings: list[Finding] = []
    policy = PolicySet(
        labels=_one(docs, LABELS, LabelsPolicy, findings),
        licenses=_one(docs, LICENSES, LicensesPolicy, findings),
        stewards=_one(docs, STEWARDS, StewardsPolicy, findings),
        approvals=_one(docs, APPROVALS, ApprovalsPolicy, findings),
        quarantine=_one(docs, QUARANTINE, QuarantinePolicy, findings),
        storage=_one(docs, STORAGE, StoragePolicy, findings) if docs.load(STORAGE) else None,
        source=docs.snapshot.label,
        findings=findings,
    )
    return policy
