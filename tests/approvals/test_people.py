"""Who counts: PR author, roster changes in the PR, bots, outsiders, renamed logins, committers."""

from __future__ import annotations

from pathlib import Path

import pytest

from kfm_bot.approvals.facts import Principal
from tests.approvals.prs import AUTHOR, JUNE, KFM_BOT, MARA, OUTSIDER, PR, TOMAS, WELLS, approve


@pytest.fixture
def pr(tmp_path: Path) -> PR:
    change = PR.open(tmp_path)
    change.edit(WELLS, "joined to the\n  county", "joined to the\n  Kansas county")
    return change


def _reasons(result: object) -> set[str]:
    return {i.reason for i in result.ignored}  # type: ignore[attr-defined]


def test_a_steward_approval_satisfies_a_dataset_change(pr: PR) -> None:
    result = pr.evaluate(approve(MARA, pr.head))
    wells = result.unit("ks_water_wells")
    assert wells is not None and wells.classes == ("dataset_changed",)
    assert wells.required == {"data": 1} and wells.satisfied
    assert result.conclusion == "success"
    assert result.manifest_approvals("ks_water_wells") == [
        {
            "role": "data",
            "principal": "github:4410021:mara-osei",
            "approved_at": wells.approvals[0].approved_at,
        }
    ]


def test_no_review_means_action_required(pr: PR) -> None:
    result = pr.evaluate()
    assert result.conclusion == "action_required"
    assert result.unit("ks_water_wells").missing == {"data": 1}  # type: ignore[union-attr]


def test_the_pr_author_never_counts_even_as_a_steward(pr: PR) -> None:
    result = pr.evaluate(approve(MARA, pr.head), author=MARA, committer=MARA)
    assert result.conclusion == "action_required"
    assert "pr-author" in _reasons(result)


def test_a_steward_added_to_the_roster_in_the_same_pr_does_not_count(pr: PR) -> None:
    newcomer = Principal(5550001, "lee-newcomer")
    roster = pr.read("policies/stewards.yaml").replace(
        "bots:", "  - login: lee-newcomer\n    id: 5550001\n    roles: [data, policy]\nbots:"
    )
    pr.write({"policies/stewards.yaml": roster}, "add lee")
    result = pr.evaluate(approve(newcomer, pr.head))
    assert "not-steward" in _reasons(result)
    assert not result.unit("ks_water_wells").satisfied  # type: ignore[union-attr]
    policies = result.unit("policies")
    assert policies is not None and policies.required == {"policy": 2}
    assert policies.classes == ("policy_changed",)


@pytest.mark.parametrize(
    "bot", [KFM_BOT, Principal(4410099, "kfm-bot", "User"), Principal(9, "x", "Bot")]
)
def test_bots_never_count(pr: PR, bot: Principal) -> None:
    result = pr.evaluate(approve(bot, pr.head))
    assert result.conclusion == "action_required"
    assert _reasons(result) == {"bot"}


def test_a_non_steward_does_not_count(pr: PR) -> None:
    result = pr.evaluate(approve(OUTSIDER, pr.head))
    assert _reasons(result) == {"not-steward"}
    assert result.conclusion == "action_required"


def test_same_login_with_another_id_is_ignored(pr: PR) -> None:
    impostor = Principal(8880001, "mara-osei")
    result = pr.evaluate(approve(impostor, pr.head))
    assert _reasons(result) == {"id-mismatch"}
    assert result.conclusion == "action_required"


def test_same_id_with_a_new_login_counts_and_asks_for_a_roster_update(pr: PR) -> None:
    renamed = Principal(MARA.id, "mara-osei-kgs")
    result = pr.evaluate(approve(renamed, pr.head))
    assert result.conclusion == "success"
    used = result.unit("ks_water_wells").approvals[0]  # type: ignore[union-attr]
    assert used.principal == "github:4410021:mara-osei-kgs"
    assert [f.rule for f in result.flags] == ["approvals.login-renamed"]


def test_a_steward_who_committed_to_the_pr_does_not_count(pr: PR) -> None:
    result = pr.evaluate(approve(TOMAS, pr.head), committer=TOMAS)
    assert _reasons(result) == {"commit-author"}
    assert result.conclusion == "action_required"
    other = pr.evaluate(approve(JUNE, pr.head), committer=TOMAS)
    assert other.conclusion == "success"


def test_a_commit_not_linked_to_an_account_fails_closed(pr: PR) -> None:
    result = pr.evaluate(approve(MARA, pr.head), committer=None)
    assert result.conclusion == "failure"
    assert any(f.rule == "approvals.unattributable-commit" and f.is_error for f in result.flags)


def test_a_deleted_account_does_not_count(pr: PR) -> None:
    result = pr.evaluate(approve(None, pr.head))
    assert _reasons(result) == {"ghost"}


def test_contributors_from_earlier_runs_still_do_not_count(pr: PR) -> None:
    first = pr.evaluate(committer=TOMAS)
    assert TOMAS.id in first.state.contributors
    again = pr.evaluate(approve(TOMAS, pr.head), committer=AUTHOR, previous=first.state)
    assert _reasons(again) == {"commit-author"}
