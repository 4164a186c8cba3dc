"""The read-only context every gate receives: snapshots, changes, scope and parsed documents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kfm_bot.policy.policyset import PolicySet
from kfm_bot.repo.changes import ChangeSet, Scope
from kfm_bot.repo.documents import DocumentStore
from kfm_bot.repo.layout import source_path, spec_path
from kfm_bot.repo.snapshot import Snapshot


@dataclass
class GateContext:
    """Everything a gate may read. Gates never call git or GitHub themselves."""

    head: Snapshot
    changes: ChangeSet
    scope: Scope
    docs: DocumentStore
    base: Snapshot | None = None
    base_docs: DocumentStore | None = None
    policies: PolicySet | None = None  # loaded from the base when there is one
    # Where `policies` and the custom rules were read from; None means the base (else the head).
    policy_docs: DocumentStore | None = None
    today: date | None = None  # the UTC day overdue quarantines are judged on; None: the clock
    # The repository's directory: `file://` zones of policies/storage.yaml are relative to it.
    repo_root: Path | None = None

    def policy_store(self) -> DocumentStore:
        """The documents custom rules are read from: the base, unless a pass says otherwise."""
        return self.policy_docs or self.base_docs or self.docs

    def source_path(self, source_id: str) -> str:
        return source_path(source_id)

    def spec_path(self, slug: str) -> str:
        return spec_path(slug)

    def in_scope_sources(self) -> list[str]:
        return sorted(self.scope.sources)

    def in_scope_datasets(self) -> list[str]:
        return sorted(self.scope.datasets)
