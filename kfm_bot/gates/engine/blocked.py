"""Which datasets a quarantine blocks: one reading shared by the report, promotion and export.

A dataset is *blocked* while any source its spec names is quarantined. Being blocked is not a
gate failure (quarantining a source in use is a protective change, and must be mergeable); it
is a state that promotion and export refuse. Statuses are read from the raw documents, so a
source entry that does not validate still blocks when it says `status: quarantined`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kfm_bot.gates.engine.reading import get, shown, text
from kfm_bot.repo.documents import DocumentStore
from kfm_bot.repo.layout import source_path, spec_path


@dataclass(frozen=True)
class Block:
    """One quarantined source, with what its entry says about the quarantine."""

    source_id: str
    reason_code: str | None
    owner: str | None
    due: str | None

    def describe(self) -> str:
        reason = self.reason_code or "no reason code given"
        remedy = ""
        if self.owner and self.due:
            remedy = f", remediation by @{shown(self.owner)} due {shown(self.due)}"
        return f"`{shown(self.source_id)}` (reason `{shown(reason)}`{remedy})"


def spec_sources(docs: DocumentStore, slug: str) -> list[str] | None:
    """The source ids the dataset's spec names; None when the spec cannot be read."""
    data = docs.data(spec_path(slug))
    sources = get(data, "sources")
    if not isinstance(sources, list):
        return None
    return [s for s in sources if isinstance(s, str)]


def quarantined(docs: DocumentStore, source_ids: Iterable[str]) -> list[Block]:
    """The named sources that are quarantined in `docs`' snapshot, in the order given."""
    blocks = []
    for source_id in dict.fromkeys(source_ids):
        data: Any = docs.data(source_path(source_id))
        if isinstance(data, dict) and data.get("status") == "quarantined":
            blocks.append(
                Block(
                    source_id,
                    text(data, "quarantine", "reason_code"),
                    text(data, "quarantine", "remediation", "owner"),
                    text(data, "quarantine", "remediation", "due"),
                )
            )
    return blocks


def blocked_by(docs: DocumentStore, slug: str) -> list[Block]:
    """The quarantined sources that block dataset `slug` in `docs`' snapshot."""
    return quarantined(docs, spec_sources(docs, slug) or [])


def refusal(slug: str, blocks: list[Block], what: str) -> str:
    """The sentence promotion and export give when they refuse a blocked dataset."""
    names = ", ".join(b.describe() for b in blocks)
    return (
        f"{slug} is blocked: it uses quarantined source(s) {names}; {what} is refused until the "
        "quarantine is lifted or the source is removed from the spec's `sources`"
    )
