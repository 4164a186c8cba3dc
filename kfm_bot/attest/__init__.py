"""Signed promotion records: in-toto Statements in DSSE envelopes, and the keys that sign them."""
