"""Gate E, run receipts and checksums: the producing run, digests, QA verdicts."""
