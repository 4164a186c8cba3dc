"""Gate A's ledger check: the audit ledger chain and its promotion records are intact."""

from __future__ import annotations

from kfm_bot.findings import Finding
from kfm_bot.gates.context import GateContext

RULES: dict[str, str] = {
    "A.ledger-chain": "a ledger line does not hold the hash of the line before: restore the ledger",
    "A.ledger-sequence": "ledger seq numbers skip or repeat: lines were dropped or reordered",
    "A.ledger-malformed": "a ledger line is not a canonical ledger entry: restore the ledger",
    "A.ledger-truncated": "the ledger does not end with a newline: restore the ledger",
    "A.ledger-record": "a ledger line and its promotion manifest disagree, or one is missing",
}


def run(ctx: GateContext) -> list[Finding]:
    from kfm_bot.promotion.records import verify_repository

    return verify_repository(ctx.head)
