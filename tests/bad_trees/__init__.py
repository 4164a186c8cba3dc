"""Hostile repository trees (symlinks, submodules, LFS pointers, colliding names) built by tests."""
