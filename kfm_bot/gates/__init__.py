"""Promotion gates A-G: one subpackage per gate, run by `engine` (`engine.registry.GATES`)."""
