"""Gate F, policy and contract tests: CEL rules, policy fixture tests, documents."""
