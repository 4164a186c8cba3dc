"""Gate A, identity and versioning: ids, the file tree, spec_hash stability, ledger."""
