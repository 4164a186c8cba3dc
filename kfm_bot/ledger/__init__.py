"""The audit ledger, read and verified: its hash chain, its anchors in git, its promotion records.

Promotion appends to it, gate A verifies it (`check --all`), export binds packs to it: the
reading lives here, below all three, so that none of them has to import another to read it.
"""
