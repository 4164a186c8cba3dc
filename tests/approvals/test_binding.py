"""Content-bound approvals: rebases and formatting keep them, content changes make them stale."""

from __future__ import annotations

from pathlib import Path

import pytest

from kfm_bot.app.pull_approvals import checkout_approvals
from kfm_bot.approvals.facts import CommitFacts
from tests.approvals.prs import AUTHOR, COUNTIES, MARA, PR, WELLS, approve, at
from tests.gitrepo import git


@pytest.fixture
def pr(tmp_path: Path) -> PR:
    change = PR.open(tmp_path)
    change.edit(WELLS, "joined to the\n  county", "joined to the\n  Kansas county")
    return change


def _rebase_onto_new_main(pr: PR) -> None:
    """main gains an unrelated commit; the PR branch is rebased onto it (same content)."""
    git(pr.repo, "checkout", "-q", "main")
    (pr.repo / "README.md").write_text("unrelated\n", encoding="utf-8")
    git(pr.repo, "add", "README.md")
    git(pr.repo, "commit", "-q", "-m", "main moves")
    pr.base = git(pr.repo, "rev-parse", "HEAD")
    git(pr.repo, "checkout", "-q", "pr")
    git(pr.repo, "rebase", "-q", "main")
    pr.commits = [git(pr.repo, "rev-parse", "HEAD")]


def test_an_approval_survives_a_rebase_that_changes_nothing(pr: PR) -> None:
    old_head = pr.head
    first = pr.evaluate(approve(MARA, old_head))
    assert first.conclusion == "success" and old_head in first.state.history
    _rebase_onto_new_main(pr)
    assert pr.head != old_head
    again = pr.evaluate(approve(MARA, old_head), previous=first.state)
    assert again.conclusion == "success"
    assert again.unit("ks_water_wells").approvals[0].review_id  # type: ignore[union-attr]


def test_without_the_carried_history_the_old_commit_is_outside_the_pr(pr: PR) -> None:
    old_head = pr.head
    _rebase_onto_new_main(pr)
    result = pr.evaluate(approve(MARA, old_head))
    assert {i.reason for i in result.ignored} == {"commit-outside-pr"}


def test_a_formatting_change_keeps_the_approval(pr: PR) -> None:
    reviewed = pr.head
    text = pr.read(WELLS)
    restyled = text.replace('version: "3.8.4"', "version: '3.8.4'").replace(
        "# yaml-language-server", "# a comment added by a formatter\n# yaml-language-server"
    )
    assert restyled != text
    pr.write({WELLS: restyled}, "restyle")
    result = pr.evaluate(approve(MARA, reviewed))
    assert result.conclusion == "success"


def test_a_content_change_makes_the_approval_stale(pr: PR) -> None:
    reviewed = pr.head
    pr.edit(WELLS, "features: 3", "features: 4", "more features")
    result = pr.evaluate(approve(MARA, reviewed))
    assert result.conclusion == "action_required"
    assert [(i.reason, i.unit) for i in result.ignored] == [("stale", "ks_water_wells")]


def test_a_change_to_a_used_source_makes_the_dataset_approval_stale(pr: PR) -> None:
    reviewed = pr.head
    pr.edit("registry/sources/kgs-water-wells.yaml", "cadence: monthly", "cadence: weekly")
    result = pr.evaluate(approve(MARA, reviewed))
    wells = result.unit("ks_water_wells")
    assert wells is not None and "source_changed" in wells.classes and not wells.satisfied


def test_staleness_is_per_dataset(pr: PR) -> None:
    pr.edit(COUNTIES, "title: ", "title: The ")
    reviewed = pr.head
    pr.edit(COUNTIES, "title: The ", "title: Kansas: The ")
    result = pr.evaluate(approve(MARA, reviewed))
    assert result.unit("ks_water_wells").satisfied  # type: ignore[union-attr]
    assert not result.unit("ks_county_boundaries").satisfied  # type: ignore[union-attr]


def test_a_review_on_a_commit_outside_the_pr_never_counts(pr: PR) -> None:
    same_content = pr.read(WELLS)
    git(pr.repo, "checkout", "-q", "-b", "elsewhere", "main")
    (pr.repo / WELLS).write_text(same_content, encoding="utf-8")
    git(pr.repo, "commit", "-q", "-am", "same content, another branch")
    outside = git(pr.repo, "rev-parse", "HEAD")
    result = pr.evaluate(approve(MARA, outside))
    assert {i.reason for i in result.ignored} == {"commit-outside-pr"}
    assert result.conclusion == "action_required"


def test_a_review_on_an_unreadable_commit_does_not_count(pr: PR) -> None:
    ghost = "f" * 40
    facts = pr.facts([approve(MARA, ghost)])
    facts = type(facts)(
        facts.number, AUTHOR, facts.head_sha, facts.base_sha,
        [*facts.commits, CommitFacts(ghost, AUTHOR, AUTHOR)], facts.reviews,
    )  # fmt: skip
    result = checkout_approvals(pr.repo, facts)
    assert {i.reason for i in result.ignored} == {"commit-unreadable"}


def test_an_earlier_commit_of_the_pr_still_binds_by_content(pr: PR) -> None:
    reviewed = pr.head
    pr.edit(COUNTIES, "title: ", "title: The ")
    result = pr.evaluate(approve(MARA, reviewed, at(9)), approve(MARA, pr.head, at(11)))
    assert result.conclusion == "success"
