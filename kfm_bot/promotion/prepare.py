"""One promotion, made ready: gates and approvals re-checked on the merge, documents built."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from kfm_bot.canonical import json_file_bytes, sha256_digest
from kfm_bot.errors import GateFailure
from kfm_bot.gates.engine.blocked import blocked_by, refusal
from kfm_bot.gates.engine.runner import GateOutcome
from kfm_bot.gates.evaluate import evaluate_snapshots
from kfm_bot.git import read
from kfm_bot.ledger.records import manifest_path
from kfm_bot.models.spec import PipelineSpec
from kfm_bot.promotion.documents import (
    ApprovalRecord,
    build_decision,
    build_manifest,
    dataset_version_id,
    policies_digest,
    rfc3339,
)
from kfm_bot.promotion.plan import Candidate, PullFinder, commit_snapshot
from kfm_bot.promotion.publish import zones_for
from kfm_bot.repo.changes import ChangeSet
from kfm_bot.repo.documents import DocumentStore
from kfm_bot.repo.layout import PROMOTIONS_DIR, spec_path

if TYPE_CHECKING:
    from kfm_bot.git.gitdir import GitDir
    from kfm_bot.zones.config import Zones

DECISION = "policy_decision.json"


@dataclass(frozen=True)
class ApprovalVerdict:
    ok: bool
    records: tuple[ApprovalRecord, ...] = ()
    reason: str = ""


class PromotionHost(PullFinder, Protocol):
    """What promotion needs from GitHub: the merged PR, its approvals, a place to report."""

    def approvals(self, repo: GitDir, candidate: Candidate) -> ApprovalVerdict: ...
    def report_failure(self, sha: str, title: str, summary: str) -> None: ...
    def ensure_releases(self, wanted: list[WantedRelease]) -> None: ...


@dataclass(frozen=True)
class WantedRelease:
    """A release the run makes sure of: created when missing, with the manifest attached."""

    tag: str
    title: str
    body: str
    manifest: Callable[[], bytes]  # read only when the release still lacks it
    # The promotion statement's bytes (None: the promotion has none), read only when missing.
    statement: Callable[[], bytes | None] = lambda: None


@dataclass
class Prepared:
    candidate: Candidate
    version: str
    epoch: int
    files: dict[str, bytes] = field(default_factory=dict)
    manifest_digest: str = ""
    decision_id: str = ""
    zones: Zones | None = None  # where the manifest's published artifacts are copied

    @property
    def tag(self) -> str:
        return f"{self.candidate.slug}/{self.version}"

    @property
    def manifest_path(self) -> str:
        return manifest_path(self.candidate.slug, self.version)


@dataclass(frozen=True)
class Refusal:
    candidate: Candidate
    reason: str


def prepare(repo: GitDir, cand: Candidate, host: PromotionHost) -> Prepared | Refusal:
    """Fail closed: gates on the merge commit, approvals on the PR's final head, then documents."""
    g = cand.group
    if g.pull is None:
        return Refusal(cand, f"no merged pull request found for commit {g.end[:12]}")
    changes = ChangeSet(tuple(read.diff(repo, g.base, g.end)))
    evaluation = evaluate_snapshots(
        commit_snapshot(repo, g.base), commit_snapshot(repo, g.end), changes
    )
    blocks = blocked_by(evaluation.ctx.docs, cand.slug)
    if blocks:
        return Refusal(cand, refusal(cand.slug, blocks, "promotion"))
    failed = [r for r in evaluation.results if r.status == "fail"]
    if failed:
        names = ", ".join(f"{r.gate} ({r.name})" for r in failed)
        return Refusal(cand, f"gates fail on the merge commit {g.end[:12]}: {names}")
    verdict = host.approvals(repo, cand)
    if not verdict.ok:
        return Refusal(cand, f"required steward approvals are missing: {verdict.reason}")
    docs = evaluation.ctx.docs
    spec = docs.model(spec_path(cand.slug), PipelineSpec)
    if spec is None:
        return Refusal(cand, f"{spec_path(cand.slug)} does not validate on the merge commit")
    try:
        prepared = _documents(repo, cand, docs, spec, evaluation.results, verdict)
    except GateFailure as exc:  # the builders' own checks refuse like a gate: reported, no write
        return Refusal(cand, exc.message)
    prepared.zones = zones_for(evaluation.ctx)
    return prepared


def _documents(
    repo: GitDir,
    cand: Candidate,
    docs: DocumentStore,
    spec: PipelineSpec,
    results: list[GateOutcome],
    verdict: ApprovalVerdict,
) -> Prepared:
    epoch = read.commit_time(repo, cand.group.end)
    prepared = Prepared(cand, dataset_version_id(cand.spec_hash, epoch), epoch)
    base_docs = DocumentStore(commit_snapshot(repo, cand.group.base))
    decision = build_decision(cand.slug, spec, cand.spec_hash, results, policies_digest(base_docs))
    manifest = build_manifest(
        docs,
        spec,
        cand.spec_hash,
        prepared.version,
        rfc3339(epoch),
        decision["decision_id"],
        verdict.records,
    )
    manifest_bytes = json_file_bytes(manifest)
    prepared.files[prepared.manifest_path] = manifest_bytes
    prepared.files[f"{PROMOTIONS_DIR}/{cand.slug}/{prepared.version}/{DECISION}"] = json_file_bytes(
        decision
    )
    prepared.manifest_digest = sha256_digest(manifest_bytes)
    prepared.decision_id = decision["decision_id"]
    return prepared
