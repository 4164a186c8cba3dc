"""Gate E checks the zone objects a receipt names, through `kfm-bot check` on real repos."""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

import pytest

from kfm_bot.zones.config import zone_from_url
from kfm_bot.zones.store import ZoneStore
from tests.cli import kfm_bot
from tests.zones.seaweed import SECRET_KEY, S3Server
from tests.zones.world import KEY, RECEIPT, name_object, storage_yaml, zone_repo

pytestmark = pytest.mark.slow
DATA = b"PAR1" + bytes(range(256)) * 40 + b"PAR1"


def _check(repo: Path, env: dict[str, str] | None = None) -> tuple[int, dict[str, object], str]:
    done = kfm_bot("check", "--repo", repo, "--base", "main", "--format", "json", env=env, cwd=repo)
    report = json.loads(done.stdout) if done.stdout.strip().startswith("{") else {}
    return done.returncode, report, done.stderr


def _rules(report: dict[str, object]) -> list[tuple[str, str, int]]:
    found = []
    for gate in report.get("gates", []):  # type: ignore[attr-defined]
        for f in gate["findings"]:
            found.append((f["rule"], f["path"], f["line"]))
    return found


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    zones = tmp_path / "zones"
    return zone_repo(
        tmp_path / "repo",
        storage_yaml(f"file://{zones}/processed", f"file://{zones}/published"),
    )


def _put(repo: Path, data: bytes) -> None:
    zones = repo.parent / "zones" / "processed"
    (zones / KEY).parent.mkdir(parents=True, exist_ok=True)
    (zones / KEY).write_bytes(data)


def test_an_object_with_its_digest_and_size_passes(repo: Path) -> None:
    _put(repo, DATA)
    name_object(repo, DATA)
    code, report, _ = _check(repo)
    assert (code, _rules(report)) == (0, [])


@pytest.mark.parametrize(
    ("stored", "size", "rule"),
    [
        (None, None, "E.object-missing"),
        (DATA[:-1] + b"X", None, "E.object-digest-mismatch"),
        (DATA + b"tail", None, "E.object-size-mismatch"),
        (DATA, len(DATA) + 1, "E.object-size-mismatch"),
    ],
)
def test_a_missing_or_different_object_is_a_located_finding(
    repo: Path, stored: bytes | None, size: int | None, rule: str
) -> None:
    if stored is not None:
        _put(repo, stored)
    name_object(repo, DATA, size=size)
    code, report, _ = _check(repo)
    rules = _rules(report)
    assert code == 1
    assert [(r, p) for r, p, _ in rules] == [(rule, RECEIPT)]
    assert rules[0][2] > 1  # at the entry's line, not the file's start


def test_a_zone_storage_yaml_does_not_name_is_a_finding(repo: Path) -> None:
    name_object(repo, DATA, uri="raw/" + KEY)
    code, report, _ = _check(repo)
    assert code == 1
    assert [r for r, _, _ in _rules(report)] == ["E.zone-unknown"]


def test_an_unreachable_zone_fails_closed_with_exit_3_and_no_credential(tmp_path: Path) -> None:
    repo = zone_repo(tmp_path / "repo", storage_yaml("s3://kfm/processed", "s3://kfm/published", 2))
    name_object(repo, DATA)
    secret = "Zk3SECRETvalue-never-printed-9d1"
    env = {
        **os.environ,
        "AWS_ENDPOINT_URL": "http://127.0.0.1:9",  # discard port: nothing listens
        "AWS_ACCESS_KEY_ID": "AKIAKFMTESTKEYID01",
        "AWS_SECRET_ACCESS_KEY": secret,
        "AWS_REGION": "us-east-1",
    }
    code, _, err = _check(repo, env)
    assert code == 3, err
    assert "zone 'processed' (s3://kfm/processed)" in err
    assert KEY in err
    assert secret not in err and "AKIAKFMTESTKEYID01" not in err
    assert "Traceback" not in err


def test_gate_e_reads_s3_zones_with_credentials_from_the_environment(
    s3_server: S3Server, tmp_path: Path
) -> None:
    prefix = uuid.uuid4().hex[:12]
    repo = zone_repo(
        tmp_path / "repo",
        storage_yaml(f"s3://kfm/{prefix}/processed", f"s3://kfm/{prefix}/published"),
    )
    env = {**os.environ, **s3_server.env(), "KFM_CACHE_DIR": str(tmp_path / "cache")}
    name_object(repo, DATA)
    code, report, err = _check(repo, env)
    assert (code, [r for r, _, _ in _rules(report)]) == (1, ["E.object-missing"]), err
    with pytest.MonkeyPatch.context() as patch:
        for name, value in s3_server.env().items():
            patch.setenv(name, value)
        zone = zone_from_url("processed", f"s3://kfm/{prefix}/processed", repo)
        ZoneStore(zone).put_if_absent(KEY, [DATA])
    code, report, err = _check(repo, env)
    assert (code, _rules(report)) == (0, []), err
    assert SECRET_KEY not in err + json.dumps(report)
