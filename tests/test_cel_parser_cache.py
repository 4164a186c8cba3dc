"""The CEL parser cache is used only from a private directory, and parses like celpy's own."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kfm_bot.policy import cel_parser_cache
from tests.cli import measured

PROBE = (
    "from kfm_bot.policy.cel_rules import compile_expression\n"
    'print(compile_expression(\'object.a.exists(x, x > 2) && "ok".startsWith("o")\')'
    ".evaluate({'object': __import__('celpy').json_to_cel({'a': [1, 3]})}))\n"
)


def _probe(cache: Path) -> str:
    env = {"KFM_BOT_CACHE_DIR": str(cache), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=measured(env),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return proc.stdout.strip()


def test_cached_parser_evaluates_like_a_fresh_one(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first, second = _probe(cache), _probe(cache)  # built and saved, then loaded
    assert first == second == "True"
    assert [p.name.startswith("cel-lalr-") for p in cache.iterdir()] == [True]


def test_a_directory_others_can_write_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)
    monkeypatch.setenv("KFM_BOT_CACHE_DIR", str(shared))
    assert cel_parser_cache._cache_dir() is None
    shared.chmod(0o700)
    assert cel_parser_cache._cache_dir() == shared
