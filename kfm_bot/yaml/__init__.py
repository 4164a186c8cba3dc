"""Strict YAML and JSON loading: the guard, the parsers' rules, the built value."""
