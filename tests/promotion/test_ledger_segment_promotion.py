"""A real promotion across the live file's limit: it seals the live file unchanged, stays
idempotent and resumable, and tampering with the sealed segment is caught.

One world for the module: the emulator's repository is given LEDGER_PATH's worth of earlier
promotions (benchmarks/generate.py: commits, tags and manifests as promotions leave them), then
one PR is merged and promoted by `kfm-bot promote --push`, first SIGKILLed after making its
commit, then run again from a fresh clone."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from benchmarks.generate import extend
from kfm_bot.canonical import sha256_digest
from kfm_bot.emulator.testing import running_emulator
from kfm_bot.ledger.records import manifest_path
from kfm_bot.repo.layout import LEDGER_LIVE_LINES, LEDGER_PATH, ledger_segment_path
from tests.cli import kfm_bot
from tests.github.world import World, make_world
from tests.gitrepo import GIT_ENV, commit_all
from tests.promotion.test_ledger_anchors import check_all, ledger_verify
from tests.promotion.world import (
    change_dataset,
    clone,
    count_promotions,
    merge,
    promote,
    remote_git,
    tag_of,
)

pytestmark = pytest.mark.slow  # a thousand earlier promotions and real runs

SEGMENT = ledger_segment_path(1, LEDGER_LIVE_LINES)


@dataclass(frozen=True)
class Sealed:
    world: World
    live_before: bytes  # the live file the promotion found: LEDGER_LIVE_LINES lines
    tag: str
    audit: Path  # a clone of main after the promotion
    dry: str  # what `promote --dry-run` said before it


def _show(world: World, rev: str) -> bytes:
    bare = Path(world.emu.git_url("org", "data"))
    return subprocess.run(
        ["git", "show", rev], cwd=bare, env=GIT_ENV, capture_output=True, check=True
    ).stdout


@pytest.fixture(scope="module")
def sealed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sealed]:
    tmp = tmp_path_factory.mktemp("segments")
    with running_emulator(tmp) as emu:
        world = make_world(emu, tmp)
        bare = Path(emu.git_url("org", "data"))
        have = len(_show(world, f"main:{LEDGER_PATH}").splitlines()) if _has_ledger(world) else 0
        extend(bare, LEDGER_LIVE_LINES - have)
        live_before = _show(world, f"main:{LEDGER_PATH}")
        sha = merge(world, change_dataset(world, "ks_water_wells", "Sealed", "seal"))
        tag = tag_of(world, "ks_water_wells", sha)
        dry = promote(world, clone(world, "dry"), "--dry-run")
        assert dry.returncode == 0, dry.stdout + dry.stderr
        killed = promote(world, clone(world, "ci0"), "--push", kill_after="commit-made")
        assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
        assert count_promotions(world, tag) == (0, 0, 0)
        done = promote(world, clone(world, "ci1"), "--push")
        assert done.returncode == 0, done.stdout + done.stderr
        yield Sealed(world, live_before, tag, clone(world, "audit"), dry.stdout)


def _has_ledger(world: World) -> bool:
    return LEDGER_PATH in remote_git(world, "ls-tree", "-r", "--name-only", "main")


def test_the_promotion_past_the_limit_seals_the_live_file_unchanged(sealed: Sealed) -> None:
    assert len(sealed.live_before.splitlines()) == LEDGER_LIVE_LINES
    assert _show(sealed.world, f"main:{SEGMENT}") == sealed.live_before
    (line,) = _show(sealed.world, f"main:{LEDGER_PATH}").splitlines()
    entry = json.loads(line)
    assert entry["seq"] == LEDGER_LIVE_LINES + 1
    assert entry["prev"] == sha256_digest(sealed.live_before.splitlines()[-1])
    assert count_promotions(sealed.world, sealed.tag) == (1, 1, 1)
    changed = remote_git(sealed.world, "show", "--name-only", "--format=", "main").split()
    assert {LEDGER_PATH, SEGMENT} <= set(changed)  # the same commit seals and appends


def test_the_dry_run_names_the_segment_it_would_seal(sealed: Sealed) -> None:
    live = _show(sealed.world, f"main:{LEDGER_PATH}")
    assert f"  seal {SEGMENT}  {sha256_digest(sealed.live_before)} " in sealed.dry
    assert f"  append {LEDGER_PATH}  {sha256_digest(live)} " in sealed.dry, sealed.dry


def test_verify_finds_the_statements_line_counted_across_the_segment(sealed: Sealed) -> None:
    (line,) = _show(sealed.world, f"main:{LEDGER_PATH}").splitlines()
    entry = json.loads(line)
    manifest = sealed.audit / manifest_path(entry["dataset_slug"], entry["dataset_version_id"])
    done = kfm_bot("verify", manifest.parent, "--repo", sealed.audit)  # names ledger line 1,001
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith("unsigned (its digests match, but no key vouches for it)")


def test_a_rerun_after_sealing_writes_nothing(sealed: Sealed) -> None:
    before = remote_git(sealed.world, "for-each-ref", "--format=%(refname) %(objectname)")
    again = promote(sealed.world, clone(sealed.world, "again"), "--push")
    assert again.returncode == 0 and "nothing to promote" in again.stdout, again.stdout
    after = remote_git(sealed.world, "for-each-ref", "--format=%(refname) %(objectname)")
    assert after == before


@pytest.fixture
def audit(sealed: Sealed, tmp_path: Path) -> Path:
    return Path(shutil.copytree(sealed.audit, tmp_path / "audit", symlinks=True))


def test_the_sealed_ledger_verifies(audit: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert ledger_verify(audit, capsys).code == 0
    assert ledger_verify(audit, capsys, "--ref", "origin/main").code == 0
    clean = check_all(audit, capsys)
    assert "A.ledger-" not in clean.text


def _tampered(audit: Path, capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    commit_all(audit, "tamper")  # committed, as a forged history would be
    verdict = ledger_verify(audit, capsys)
    assert verdict.code == 1, verdict.text
    return verdict.text, check_all(audit, capsys).text


def test_an_edited_sealed_line_is_caught(audit: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = audit / SEGMENT
    lines = path.read_bytes().splitlines()
    entry = json.loads(lines[499])
    entry["pr_number"] = 7
    lines[499] = json.dumps(entry, sort_keys=True, separators=(",", ":")).encode()
    path.write_bytes(b"".join(line + b"\n" for line in lines))
    verified, checked = _tampered(audit, capsys)
    assert f"{SEGMENT}:500: error[A.ledger-anchor]" in verified
    assert f"{SEGMENT}:501: error[A.ledger-chain]" in verified
    assert "A.ledger-anchor" in checked


def test_a_dropped_segment_is_caught(audit: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (audit / SEGMENT).unlink()
    verified, checked = _tampered(audit, capsys)
    assert "error[A.ledger-sequence]" in verified and "error[A.ledger-anchor]" in verified
    assert "A.ledger-sequence" in checked


def test_a_renamed_segment_is_caught(audit: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (audit / SEGMENT).rename(audit / ledger_segment_path(2, LEDGER_LIVE_LINES + 1))
    verified, checked = _tampered(audit, capsys)
    assert "error[A.ledger-segment]" in verified
    assert "A.ledger-segment" in checked


def test_reordered_sealed_lines_are_caught(audit: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = audit / SEGMENT
    lines = path.read_bytes().splitlines()
    lines[10], lines[11] = lines[11], lines[10]
    path.write_bytes(b"".join(line + b"\n" for line in lines))
    verified, checked = _tampered(audit, capsys)
    assert f"{SEGMENT}:11: error[A.ledger-sequence]" in verified
    assert "A.ledger-sequence" in checked
