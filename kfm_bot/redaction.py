"""Precise numbers (what an exact location looks like in text) and what replaces them.

One definition for the two places that keep restricted coordinates out of what kfm-bot posts:
the GitHub adapter's self-check before posting (github/protect.py removes exactly the values
found in restricted fixtures) and the approvals summary (approvals/render_parts.py masks every
precise number in PR-written text). Approvals may not import the adapter, so this is a leaf
both import.
"""

from __future__ import annotations

import re

MIN_DECIMALS = 4  # coarser numbers are what generalised outputs publish anyway
PRECISE = re.compile(rf"-?\d{{1,3}}\.\d{{{MIN_DECIMALS},}}")  # the sign belongs to the match
REDACTED = "[redacted]"
