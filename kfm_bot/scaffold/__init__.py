"""Helpers that write example content: refreshing a dataset's evidence."""
