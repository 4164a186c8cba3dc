"""Promotion's closing step costs what is missing, not the ledger's length (issue 9).

A local repository with 40 generated promotions (benchmarks/generate.py): a run with nothing
to promote puts back an old tag that went missing, refuses a recent tag that was moved, and
finds promotion commits with one bounded `git log`."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.generate import extend
from kfm_bot.errors import GateFailure
from kfm_bot.git.gitdir import GitDir
from kfm_bot.promotion.plan import PullRef
from kfm_bot.promotion.run import PromoteOptions, promote
from kfm_bot.promotion.tags import promotion_commits
from tests.gitrepo import git

ENTRIES = 40


class NoPulls:
    """Nothing here was merged by a pull request; no release is asked for."""

    def merged_pull(self, commit_sha: str) -> PullRef | None:
        return None

    def approvals(self, repo: object, candidate: object) -> object:
        raise AssertionError("nothing is promoted")

    def report_failure(self, sha: str, title: str, summary: str) -> None:
        raise AssertionError("nothing is refused")

    def ensure_releases(self, wanted: object) -> None:
        raise AssertionError("no release without --release")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    where = tmp_path / "repo"
    where.mkdir()
    git(where, "init", "-q", "-b", "main")
    git(
        where,
        "-c",
        "user.name=k",
        "-c",
        "user.email=k@x",
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        "root",
    )
    extend(where, ENTRIES)
    return where


def run(repo: Path) -> list[str]:
    said: list[str] = []
    assert promote(PromoteOptions(repo, branch="main"), NoPulls(), said.append) == 0  # type: ignore[arg-type]
    return said


def test_a_missing_old_tag_is_put_back_at_its_promotion_commit(repo: Path) -> None:
    before = git(repo, "rev-parse", "bench_00003/2026-10.00000003^{commit}")
    git(repo, "tag", "-d", "bench_00003/2026-10.00000003")
    assert run(repo)[-1] == f"tags present for all {ENTRIES} ledger entries"
    assert git(repo, "rev-parse", "bench_00003/2026-10.00000003^{commit}") == before


def test_a_moved_recent_tag_is_refused(repo: Path) -> None:
    git(repo, "tag", "-f", "bench_00039/2026-10.00000027", "main~5")
    with pytest.raises(GateFailure, match="tags are never moved"):
        run(repo)


def test_promotion_commits_are_found_in_one_walk_that_stops_at_the_first_merge(
    repo: Path,
) -> None:
    from kfm_bot.ledger.chain import Ledger

    tip = git(repo, "rev-parse", "main")
    ledger = Ledger.parse(git(repo, "show", "main:registry/ledger.jsonl").encode())
    entries = ledger.entries()[-3:]
    found = promotion_commits(GitDir(repo), tip, entries)
    assert found == {
        f"bench_{n:05d}/2026-10.{n:08x}": git(repo, "rev-parse", f"main~{2 * (ENTRIES - n)}")
        for n in (ENTRIES - 2, ENTRIES - 1, ENTRIES)
    }
    with pytest.raises(GateFailure, match="no commit carries its promotion trailer"):
        promotion_commits(GitDir(repo), tip, [{**entries[0], "dataset_slug": "gone"}])
