"""Ledgers written before anchors existed still verify; the first anchored promotion covers them;
and a forged trailer neither hides nor outvotes a real anchor.

The repositories here are promoted the way the bot did before `Kfm-Ledger-Line` existed
(tests/export/promoted_repo.py writes exactly those commits); "the upgraded bot" then adds
the trailer to its next promotion commit, as `promotion/land.py` now does.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kfm_bot.cli import main
from kfm_bot.ledger.anchors import COMMIT_TRAILER, anchor_value
from kfm_bot.ledger.chain import Ledger
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


def test_forged_trailers_count_only_on_commits_that_change_the_ledger(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, _ = promoted_repo(tmp_path / "repo", LEGACY[0])
    anchored_promotion(repo, LEGACY[1])
    zeros = f"{COMMIT_TRAILER}: 2 sha256:{'0' * 64}"
    # A contributor's commit (a rebase merge puts it on main's first-parent line): ignored.
    (repo / "NOTES.md").write_text("notes\n")
    commit_all(repo, f"notes\n\nKfm-Promotion: x/y\n{zeros}")
    assert verify(repo, capsys) == (0, "")
    # A commit that does change the ledger (an admin's push) cannot outvote the bot's anchor.
    with (repo / LEDGER).open("ab") as ledger:
        ledger.write(b"\n")
    commit_all(repo, f"tidy\n\nKfm-Promotion: x/y\n{zeros}")
    git(repo, "checkout", "-q", "HEAD~1", "--", LEDGER)
    code, err = verify(repo, capsys)
    assert code == 1 and f"{LEDGER}:2: error[A.ledger-anchor] line 2 has anchors that" in err
    with (repo / LEDGER).open("ab") as ledger:
        ledger.write(b"\n\n")  # differs from the ledger of the commit before
    commit_all(repo, f"again\n\nKfm-Promotion: x/z\n{COMMIT_TRAILER}: two")
    code, err = verify(repo, capsys)
    assert code == 1 and "is not `<line> sha256:<hex>`" in err, err
