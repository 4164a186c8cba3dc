"""A 1 GiB artifact is written, verified and published (copied across zones) in constant
memory: the child process's peak RSS stays far below the object's size."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.cli import unmeasured
from tests.gitrepo import PROJECT
from tests.zones.seaweed import S3Server

pytestmark = pytest.mark.slow
GIB_MIB = 1024
MAX_RSS_MIB = 150


def _run(processed: str, published: str, env: dict[str, str], cwd: Path) -> int:
    done = subprocess.run(
        [sys.executable, "-m", "tests.zones.big_artifact", processed, published, str(GIB_MIB)],
        cwd=cwd,
        # Untraced: coverage's own tables would be counted as the bot's memory.
        env=unmeasured({**env, "PYTHONPATH": str(PROJECT)}),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    word, rss_kib = done.stdout.split()
    assert word == "ok"
    return int(rss_kib) // 1024


@pytest.mark.timeout(900)
def test_one_gib_on_file_zones(tmp_path: Path) -> None:
    rss = _run("file://zones/processed", "file://zones/published", dict(os.environ), tmp_path)
    assert rss < MAX_RSS_MIB
    assert (tmp_path / "zones/processed/big.bin").stat().st_size == GIB_MIB << 20


@pytest.mark.timeout(900)
def test_one_gib_on_s3_zones(s3_server: S3Server, tmp_path: Path) -> None:
    prefix = uuid.uuid4().hex[:12]
    rss = _run(
        f"s3://kfm/{prefix}/processed",
        f"s3://kfm/{prefix}/published",
        {**os.environ, **s3_server.env()},
        tmp_path,
    )
    assert rss < MAX_RSS_MIB
