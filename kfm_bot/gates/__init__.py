"""Promotion gates A-G: one module per gate, registered in `registry.GATES`."""
