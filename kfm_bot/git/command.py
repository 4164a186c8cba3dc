"""Porcelain git as a person types it (clone, checkout, commit, push), for the demo's people.

The bot itself never needs this: it reads with `read` and writes objects with `write`. The
demo plays the contributors and stewards around it, and they use plain `git` commands;
`kfm-bot init` runs `git init` as a maintainer would.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from kfm_bot.errors import UsageError


def git(repo: Path, *args: str, env: dict[str, str] | None = None) -> str:
    """Run `git ARGS` in `repo`; its stdout, stripped. A failure is a UsageError naming it."""
    proc = subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=False, timeout=120
    )
    if proc.returncode != 0:
        raise UsageError(f"git {args[0]} failed in {repo}: {proc.stderr.strip()[:300]}")
    return proc.stdout.strip()
