"""Policy: the PolicySet of one snapshot, custom CEL rules and the fixture-driven policy tests."""
