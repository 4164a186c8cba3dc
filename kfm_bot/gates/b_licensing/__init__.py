"""Gate B, licensing and rights: SPDX, the licence allowlist, quarantines."""
