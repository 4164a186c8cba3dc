"""Promotion on merge: manifest, policy decision, hash-chained ledger, commit and release tag."""
