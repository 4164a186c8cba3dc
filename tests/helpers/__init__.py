"""Helpers shared by tests and maintainers (not part of the bot)."""
