"""Ledgers written before anchors existed still verify; the first anchored promotion covers them.

The repositories here are promoted the way the bot did before `Kfm-Ledger-Line` existed
(tests/export/promoted_repo.py writes exactly those commits); "the upgraded bot" then adds
the trailer to its next promotion commit, as `promotion/land.py` now does.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kfm_bot.cli import main
from kfm_bot.promotion.anchors import COMMIT_TRAILER, anchor_value
from kfm_bot.promotion.ledger import Ledger
from tests.export.promoted_repo import promote, promoted_repo
from tests.gitrepo import commit_all, git

LEDGER = "registry/ledger.jsonl"
LEGACY = ("ks_county_boundaries", "archaeo_site_density")


def verify(repo: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    with pytest.raises(SystemExit) as done:
        main(["ledger", "verify", "--repo", str(repo)])
    return int(done.value.code or 0), capsys.readouterr().err


def anchored_promotion(repo: Path, slug: str) -> None:
    """The upgraded bot's promotion: the same commit, with the trailer of the line it appended."""
    promote(repo, slug)
    lines = (repo / LEDGER).read_bytes().splitlines()
    message = git(repo, "log", "-1", "--format=%B")
    trailer = f"{COMMIT_TRAILER}: {anchor_value(len(lines), lines[-1])}"
    git(repo, "commit", "-q", "--amend", "-m", f"{message}\n{trailer}")


def test_a_legacy_ledger_verifies_and_passes_check_all(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, _ = promoted_repo(tmp_path / "repo", *LEGACY)
    assert verify(repo, capsys) == (0, "")
    with pytest.raises(SystemExit) as done:
        main(["check", "--all", "--repo", str(repo), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert done.value.code == 0, report


def test_the_first_anchored_promotion_anchors_the_legacy_lines_before_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, _ = promoted_repo(tmp_path / "repo", *LEGACY)
    anchored_promotion(repo, "ks_water_wells")
    assert verify(repo, capsys) == (0, "")
    entries = [json.loads(line) for line in (repo / LEDGER).read_bytes().splitlines()]
    entries[0]["pr_number"] = 8  # a legacy line, edited and the whole chain recomputed
    forged = Ledger(())
    for entry in entries:
        forged, _ = forged.append({k: v for k, v in entry.items() if k not in ("seq", "prev")})
    (repo / LEDGER).write_bytes(forged.to_bytes())
    code, err = verify(repo, capsys)
    assert code == 1 and f"{LEDGER}:3: error[A.ledger-anchor] line 3 was edited" in err, err


def test_a_malformed_or_contradicting_anchor_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, _ = promoted_repo(tmp_path / "repo", LEGACY[0])
    anchored_promotion(repo, LEGACY[1])
    assert verify(repo, capsys) == (0, "")
    (repo / "NOTES.md").write_text("notes\n")
    git(repo, "add", "NOTES.md")
    git(repo, "commit", "-q", "-m", f"notes\n\nKfm-Promotion: x/y\n{COMMIT_TRAILER}: two")
    code, err = verify(repo, capsys)
    assert code == 1 and "is not `<line> sha256:<hex>`" in err, err
    forged = f"{COMMIT_TRAILER}: 2 sha256:{'0' * 64}"
    commit_all(repo, f"more notes\n\nKfm-Promotion: x/y\n{forged}")
    code, err = verify(repo, capsys)
    assert code == 1 and f"{LEDGER}:2: error[A.ledger-anchor] line 2 has anchors that" in err
