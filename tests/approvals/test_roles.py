"""Roles: a lowered label needs a sensitivity steward, distinct people, policy changes."""

from __future__ import annotations

from pathlib import Path

from tests.approvals.prs import ARCHAEO, IKE, JUNE, MARA, NOOR, PR, TOMAS, WELLS, approve


def _lowered(tmp_path: Path) -> PR:
    pr = PR.open(tmp_path)
    pr.edit(ARCHAEO, "policy_label: restricted", "policy_label: internal")
    return pr


def test_a_lowered_label_needs_a_sensitivity_steward(tmp_path: Path) -> None:
    pr = _lowered(tmp_path)
    result = pr.evaluate(approve(MARA, pr.head), approve(TOMAS, pr.head))
    unit = result.unit("archaeo_site_density")
    assert unit is not None and "label_lowered" in unit.classes
    assert unit.required == {"data": 1, "sensitivity": 1}
    assert unit.missing == {"data": 0, "sensitivity": 1}
    assert result.conclusion == "action_required"


def test_one_person_fills_one_role_per_unit(tmp_path: Path) -> None:
    pr = _lowered(tmp_path)
    alone = pr.evaluate(approve(JUNE, pr.head))  # june has sensitivity and data
    assert alone.unit("archaeo_site_density").missing == {"data": 1, "sensitivity": 0}  # type: ignore[union-attr]
    both = pr.evaluate(approve(JUNE, pr.head), approve(MARA, pr.head))
    unit = both.unit("archaeo_site_density")
    assert unit is not None and unit.satisfied
    assert {(a.role, a.login) for a in unit.approvals} == {
        ("sensitivity", "june-harjo"),
        ("data", "mara-osei"),
    }


def test_a_two_role_steward_takes_the_slot_nobody_else_can_fill(tmp_path: Path) -> None:
    pr = _lowered(tmp_path)
    result = pr.evaluate(approve(JUNE, pr.head), approve(NOOR, pr.head), approve(TOMAS, pr.head))
    assert result.unit("archaeo_site_density").satisfied  # type: ignore[union-attr]


def test_a_steward_without_a_needed_role_is_reported(tmp_path: Path) -> None:
    pr = _lowered(tmp_path)
    result = pr.evaluate(approve(IKE, pr.head))  # licensing, policy
    assert [(i.reason, i.unit) for i in result.ignored] == [
        ("no-needed-role", "archaeo_site_density")
    ]


def test_a_restricted_dataset_change_needs_its_label_extra(tmp_path: Path) -> None:
    pr = PR.open(tmp_path)
    pr.edit(ARCHAEO, "title: ", "title: The ")
    result = pr.evaluate(approve(MARA, pr.head))
    unit = result.unit("archaeo_site_density")
    assert unit is not None and unit.required == {"data": 1, "sensitivity": 1}
    assert not unit.satisfied


def test_a_policy_change_needs_two_policy_stewards(tmp_path: Path) -> None:
    pr = PR.open(tmp_path)
    pr.edit("policies/labels.yaml", "description: ", "description: Note. ")
    one = pr.evaluate(approve(MARA, pr.head))
    assert one.unit("policies").missing == {"policy": 1}  # type: ignore[union-attr]
    two = pr.evaluate(approve(MARA, pr.head), approve(IKE, pr.head))
    assert two.conclusion == "success"
    assert [u.unit for u in two.units] == ["policies"]


def test_policy_approvals_are_content_bound_too(tmp_path: Path) -> None:
    pr = PR.open(tmp_path)
    pr.edit("policies/labels.yaml", "description: ", "description: Note. ")
    reviewed = pr.head
    pr.edit("policies/labels.yaml", "Note. ", "Changed. ")
    result = pr.evaluate(approve(MARA, reviewed), approve(IKE, reviewed))
    assert not result.unit("policies").satisfied  # type: ignore[union-attr]


def test_requirements_come_from_the_base_policy(tmp_path: Path) -> None:
    pr = PR.open(tmp_path)
    relaxed = pr.read("policies/approvals.yaml").replace(
        "label_lowered: {roles: {sensitivity: 1, data: 1}}", "label_lowered: {roles: {data: 1}}"
    )
    pr.write({"policies/approvals.yaml": relaxed}, "relax")
    pr.edit(ARCHAEO, "policy_label: restricted", "policy_label: internal")
    result = pr.evaluate(approve(MARA, pr.head), approve(IKE, pr.head), approve(TOMAS, pr.head))
    assert result.unit("archaeo_site_density").missing["sensitivity"] == 1  # type: ignore[union-attr]


def test_a_pr_without_governed_changes_needs_nothing(tmp_path: Path) -> None:
    pr = PR.open(tmp_path)
    pr.write({"docs/notes.md": "hello\n"}, "docs")
    result = pr.evaluate()
    assert result.units == () and result.conclusion == "success"


def test_a_broken_base_policy_fails_closed(tmp_path: Path) -> None:
    pr = PR.open(tmp_path)
    from tests.gitrepo import git

    git(pr.repo, "checkout", "-q", "main")
    (pr.repo / "policies/approvals.yaml").write_text("kfm_policy_approvals_version: v9\n")
    git(pr.repo, "commit", "-q", "-am", "break")
    pr.base = git(pr.repo, "rev-parse", "HEAD")
    git(pr.repo, "checkout", "-q", "pr")
    pr.edit(WELLS, "joined to the\n  county", "joined to the\n  Kansas county")
    result = pr.evaluate(approve(MARA, pr.head))
    assert result.conclusion == "failure"
    assert result.unit("ks_water_wells").missing == {"*": 1}  # type: ignore[union-attr]
