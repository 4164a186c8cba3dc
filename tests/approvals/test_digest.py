"""Review digests and role matching, on their own."""

from __future__ import annotations

from pathlib import Path

from kfm_bot.approvals.digest import unit_digests
from kfm_bot.approvals.matching import assign, missing
from kfm_bot.git.gitdir import GitDir
from kfm_bot.repo.snapshot import CommitSnapshot
from tests.approvals.prs import PR, WELLS

UNITS = ["ks_water_wells", "ks_county_boundaries", "policies", "source:kgs-water-wells", "gone_one"]


def _digests(pr: PR, sha: str) -> dict[str, str]:
    return unit_digests(CommitSnapshot(GitDir(pr.repo), sha), UNITS)


def test_digests_ignore_yaml_style_but_not_content(tmp_path: Path) -> None:
    pr = PR.open(tmp_path)
    start = _digests(pr, pr.base)
    assert all(d.startswith("sha256:") and len(d) == 71 for d in start.values())
    assert len(set(start.values())) == len(UNITS)
    pr.write(
        {
            WELLS: "# a comment\n"
            + pr.read(WELLS).replace("qa: qa/report.json", "qa: 'qa/report.json'")
        }
    )
    pr.edit(
        "registry/sources/kgs-water-wells.yaml",
        "stewards: [tomas-reyes]",
        "stewards:\n  - tomas-reyes",
    )
    pr.edit(
        "policies/labels.yaml", "kfm_policy_labels_version: v1", "kfm_policy_labels_version: 'v1'"
    )
    assert _digests(pr, pr.head) == start
    pr.edit("specs/ks_water_wells/qa/report.json", "{", "{ ")  # other files count by their bytes
    changed = _digests(pr, pr.head)
    assert changed["ks_water_wells"] != start["ks_water_wells"]
    assert {k for k in UNITS if changed[k] != start[k]} == {"ks_water_wells"}


def test_a_used_source_is_part_of_the_dataset_digest(tmp_path: Path) -> None:
    pr = PR.open(tmp_path)
    start = _digests(pr, pr.base)
    pr.edit("registry/sources/us-census-tiger-counties.yaml", "status: active", "status: retired")
    after = _digests(pr, pr.head)
    assert after["ks_water_wells"] != start["ks_water_wells"]
    assert after["ks_county_boundaries"] != start["ks_county_boundaries"]
    assert after["source:kgs-water-wells"] == start["source:kgs-water-wells"]


def test_matching_uses_distinct_people_and_fills_scarce_roles_first() -> None:
    required = {"data": 1, "sensitivity": 1}
    both, data_only = frozenset({"data", "sensitivity"}), frozenset({"data"})
    assert assign(required, [(1, both)], {"data": 3, "sensitivity": 2}) == {1: "sensitivity"}
    filled = assign(required, [(1, both), (2, data_only)])
    assert filled == {1: "sensitivity", 2: "data"}
    assert missing(required, filled) == {"data": 0, "sensitivity": 0}
    assert missing({"policy": 2}, assign({"policy": 2}, [(1, frozenset({"policy"}))])) == {
        "policy": 1
    }
    assert assign({"data": 1}, [(1, frozenset())]) == {}
