"""Default-deny for quarantine: a version built on a source quarantined *now* is not exported.

The version's sources are read at its promotion commit (what it was built on); their status is
read at the commit whose ledger is trusted and at the repository's current HEAD, never at the
promotion commit, where every source was by construction still active.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kfm_bot.export.layout import PackError
from kfm_bot.gates.engine.blocked import quarantined, refusal, spec_sources
from kfm_bot.git import read
from kfm_bot.repo.documents import DocumentStore
from kfm_bot.repo.layout import spec_path
from kfm_bot.repo.snapshot import CommitSnapshot

if TYPE_CHECKING:
    from kfm_bot.git.gitdir import GitDir


def refuse_if_blocked(
    repo: GitDir, built_at: CommitSnapshot, slug: str, version: str, tip: str
) -> None:
    """PackError when any source of `slug`/`version` is quarantined at `tip` or at HEAD."""
    sources = spec_sources(DocumentStore(built_at), slug)
    if sources is None:
        raise PackError(
            f"cannot tell which sources {slug}/{version} was built on: {spec_path(slug)} is "
            f"unreadable at the promotion commit {built_at.label[:12]}; nothing is exported"
        )
    for head in dict.fromkeys((tip, read.resolve(repo, "HEAD"))):
        blocks = quarantined(DocumentStore(CommitSnapshot(repo, head)), sources)
        if blocks:
            raise PackError(refusal(f"{slug}/{version}", blocks, "export"))
