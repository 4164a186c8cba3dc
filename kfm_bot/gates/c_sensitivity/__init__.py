"""Gate C, sensitivity and redaction: labels, redaction plans, safe fixtures."""
