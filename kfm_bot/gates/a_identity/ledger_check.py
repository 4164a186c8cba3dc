"""Gate A's ledger check (with `--all`): the chain, its anchors in git and its promotion records.

A pull request cannot change the ledger (`A.promotion-edited` refuses any edit), so the full
check runs only when everything is checked: it reads every line and every manifest, which a
one-dataset change should not pay for.
"""

from __future__ import annotations

from kfm_bot.findings import Finding
from kfm_bot.gates.engine.context import GateContext

RULES: dict[str, str] = {
    "A.ledger-chain": "a ledger line does not hold the hash of the line before: restore the ledger",
    "A.ledger-sequence": "ledger seq numbers skip or repeat: lines were dropped or reordered",
    "A.ledger-malformed": "a ledger line is not a canonical ledger entry: restore the ledger",
    "A.ledger-truncated": "the ledger does not end with a newline: restore the ledger",
    "A.ledger-record": "a ledger line and its promotion manifest disagree, or one is missing",
    "A.ledger-anchor": "a ledger line differs from the hash its promotion commit and tag "
    "recorded, or a recorded line is missing: restore the ledger from the default branch",
    "A.ledger-segment": "a sealed ledger segment (registry/ledger/) is not named for the lines it "
    "holds, or is not a file: restore registry/ledger/ from the default branch",
    "A.ledger-unanchored": "a ledger line no promotion commit or tag records was added by "
    "hand: remove it (in a shallow clone, fetch the full history first)",
}


def run(ctx: GateContext) -> list[Finding]:
    if not ctx.changes.everything:
        return []
    from kfm_bot.ledger.records import verify_repository

    return verify_repository(ctx.head)
