"""The gate engine: the context gates read, the registry, the runner, shared lookups."""
