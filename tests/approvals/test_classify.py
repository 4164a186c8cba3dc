"""Change classes per unit, from base and head snapshots of the example content."""

from __future__ import annotations

import shutil
from pathlib import Path

from kfm_bot.approvals.classify import classify_changes
from kfm_bot.approvals.units import UnitChange, requirements_for
from kfm_bot.git import read
from kfm_bot.git.gitdir import GitDir
from kfm_bot.policy.policyset import load_policies
from kfm_bot.repo.documents import DocumentStore
from kfm_bot.repo.snapshot import CommitSnapshot
from tests.approvals.prs import ARCHAEO, PR, WELLS

TRAILS = "registry/sources/ks-historic-trails-scan.yaml"
WELL_SOURCE = "registry/sources/kgs-water-wells.yaml"
TIGER = "registry/sources/us-census-tiger-counties.yaml"


def _units(pr: PR, changed: bool = True) -> dict[str, UnitChange]:
    repo = GitDir(pr.repo)
    base, head = CommitSnapshot(repo, pr.base), CommitSnapshot(repo, pr.head)
    policies = load_policies(DocumentStore(base))
    paths = {p for c in read.diff(repo, pr.base, pr.head) for p in (c.path, c.old_path) if p}
    return classify_changes(base, head, paths if changed else None, policies)


def _classes(pr: PR) -> dict[str, set[str]]:
    units = _units(pr)
    assert units == _units(pr, changed=False)  # the snapshot comparison agrees with git's diff
    return {name: set(u.classes) for name, u in units.items()}


def test_spec_changes(tmp_path: Path) -> None:
    pr = PR.open(tmp_path)
    pr.edit(WELLS, "policy_label: public", "policy_label: internal")
    pr.edit(ARCHAEO, "spdx: CC-BY-NC-4.0", "spdx: CC-BY-4.0")
    pr.edit(ARCHAEO, "grid_m: 10000", "grid_m: 5000")
    assert _classes(pr) == {
        "ks_water_wells": {"dataset_changed", "label_raised"},
        "archaeo_site_density": {"dataset_changed", "license_changed", "redaction_changed"},
    }
    assert _units(pr)["ks_water_wells"].labels == {"public", "internal"}


def test_a_source_change_counts_for_every_dataset_using_it(tmp_path: Path) -> None:
    pr = PR.open(tmp_path)
    pr.edit(TIGER, "stewards: [mara-osei, tomas-reyes]", "stewards: [mara-osei]")
    classes = _classes(pr)
    assert set(classes) == {"ks_water_wells", "ks_county_boundaries", "archaeo_site_density"}
    assert all(c == {"source_changed", "stewards_changed"} for c in classes.values())


def test_steward_order_is_not_a_change_of_stewards(tmp_path: Path) -> None:
    pr = PR.open(tmp_path)
    pr.edit(TIGER, "stewards: [mara-osei, tomas-reyes]", "stewards: [tomas-reyes, mara-osei]")
    assert _classes(pr)["ks_water_wells"] == {"source_changed"}


def test_quarantine_set_and_source_label_lowered(tmp_path: Path) -> None:
    pr = PR.open(tmp_path)
    quarantine = "status: quarantined\nquarantine:\n  reason_code: upstream-gone\n"
    quarantine += '  remediation:\n    owner: tomas-reyes\n    due: "2035-02-01"\n'
    text = pr.read(WELL_SOURCE).replace("status: active\n", quarantine)
    pr.write({WELL_SOURCE: text})
    assert _classes(pr) == {"ks_water_wells": {"source_changed", "quarantine_set"}}


def test_an_unused_source_is_its_own_unit(tmp_path: Path) -> None:
    pr = PR.open(tmp_path)
    text = pr.read(TRAILS)
    lifted = text[: text.index("status: quarantined")] + "status: active\n"
    pr.write({TRAILS: lifted.replace("policy_label: internal", "policy_label: public")})
    units = _units(pr)
    assert set(units) == {"source:ks-historic-trails-scan"}
    unit = units["source:ks-historic-trails-scan"]
    assert unit.kind == "source" and unit.labels == {"internal", "public"}
    assert set(unit.classes) == {"source_changed", "quarantine_lifted", "label_lowered"}


def test_new_source_new_dataset_and_removal(tmp_path: Path) -> None:
    pr = PR.open(tmp_path)
    new_source = pr.read(WELL_SOURCE).replace("source_id: kgs-water-wells", "source_id: kgs-logs")
    spec = pr.read(WELLS).replace("- kgs-water-wells", "- kgs-logs")
    shutil.copytree(pr.repo / "specs/ks_water_wells", pr.repo / "specs/ks_well_logs")
    pr.write({"registry/sources/kgs-logs.yaml": new_source, "specs/ks_well_logs/spec.yaml": spec})
    shutil.rmtree(pr.repo / "specs/ks_county_boundaries")
    pr.write({}, "remove counties")
    assert _classes(pr) == {
        "ks_well_logs": {"new_dataset", "new_source"},
        "ks_county_boundaries": {"dataset_removed"},
    }


def test_policy_files_make_one_unit(tmp_path: Path) -> None:
    pr = PR.open(tmp_path)
    pr.write({"policies/tests/new_case.yaml": "a: 1\n"})
    assert _classes(pr) == {"policies": {"policy_changed"}}


def test_an_unparseable_spec_is_unclassified(tmp_path: Path) -> None:
    pr = PR.open(tmp_path)
    pr.write({WELLS: "kfm_pipeline_spec_version: v1\nkey: [unclosed\n"})
    assert _classes(pr)["ks_water_wells"] == {"dataset_changed", "unclassified"}


def test_requirements_take_the_strictest_count_per_role(tmp_path: Path) -> None:
    pr = PR.open(tmp_path)
    policy = load_policies(DocumentStore(CommitSnapshot(GitDir(pr.repo), pr.base)))
    assert policy.approvals is not None
    change = UnitChange(
        "x", "dataset", frozenset({"label_lowered", "policy_changed"}), frozenset({"restricted"})
    )
    assert requirements_for(change, policy.approvals) == {"data": 1, "policy": 2, "sensitivity": 1}
    unknown = UnitChange("x", "dataset", frozenset({"dataset_removed"}))
    assert requirements_for(unknown, policy.approvals) == {"data": 1, "policy": 1}
