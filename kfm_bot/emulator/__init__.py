"""A local GitHub REST emulator over real git, validated against GitHub's OpenAPI description."""

from __future__ import annotations

from kfm_bot.emulator.control import Emulator
from kfm_bot.emulator.openapi import Violation

__all__ = ["Emulator", "Violation"]
