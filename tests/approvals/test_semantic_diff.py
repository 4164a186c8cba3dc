"""The semantic diff: what a PR means per dataset and source, agreeing with approvals."""

from __future__ import annotations

import json
from pathlib import Path

from kfm_bot.approvals.diff_render import render_markdown, render_text
from kfm_bot.approvals.semantic_diff import NO_MEANING, UnitDiff, semantic_diff
from kfm_bot.git import read
from kfm_bot.git.gitdir import GitDir
from kfm_bot.policy.policyset import load_policies
from kfm_bot.repo.documents import DocumentStore
from kfm_bot.repo.snapshot import CommitSnapshot
from tests.approvals.prs import ARCHAEO, PR, WELLS
from tests.cli import kfm_bot

TIGER = "registry/sources/us-census-tiger-counties.yaml"
WELL_SOURCE = "registry/sources/kgs-water-wells.yaml"


def _diff(pr: PR) -> dict[str, UnitDiff]:
    repo = GitDir(pr.repo)
    base, head = CommitSnapshot(repo, pr.base), CommitSnapshot(repo, pr.head)
    paths = {p for c in read.diff(repo, pr.base, pr.head) for p in (c.path, c.old_path) if p}
    diffs = semantic_diff(base, head, paths, load_policies(DocumentStore(base)))
    return {d.unit: d for d in diffs}


def _lines(unit: UnitDiff) -> list[tuple[str, str, str]]:
    return [(ln.change_class, ln.text, ln.severity) for ln in unit.lines]


def test_licence_label_redaction_in_words_and_agreeing_with_approvals(tmp_path: Path) -> None:
    pr = PR.open(tmp_path)
    pr.edit(WELLS, "policy_label: public", "policy_label: internal")
    pr.edit(ARCHAEO, "spdx: CC-BY-NC-4.0", "spdx: CC-BY-4.0")
    pr.edit(ARCHAEO, "grid_m: 10000", "grid_m: 5000")
    pr.edit(WELLS, 'version: "1.1.3"', 'version: "1.2.0"')
    diffs = _diff(pr)
    result = pr.evaluate()
    for unit in result.units:  # the same units, classes and roles as the approvals verdict
        assert diffs[unit.unit].classes == unit.classes
        assert diffs[unit.unit].required == unit.required
        assert {ln.change_class for ln in diffs[unit.unit].lines} == set(unit.classes)
    archaeo = _lines(diffs["archaeo_site_density"])
    assert ("license_changed", "licence CC-BY-NC-4.0 → CC-BY-4.0", "high") in archaeo
    assert ("redaction_changed", "redaction plan changed: grid_m 10000 → 5000", "high") in archaeo
    wells = _lines(diffs["ks_water_wells"])
    assert ("label_raised", "label public → internal (raised)", "medium") in wells
    assert ("dataset_changed", "transform join_county: duckdb 1.1.3 → duckdb 1.2.0", "low") in wells
    line = next(
        ln for ln in diffs["archaeo_site_density"].lines if ln.change_class == "license_changed"
    )
    assert line.roles == {"licensing": 1}
    text = render_text(tuple(diffs.values()))
    assert "[high] licence changed: licence CC-BY-NC-4.0 → CC-BY-4.0 (needs licensing ×1)" in text


def test_lowered_label_sources_outputs_and_stewards(tmp_path: Path) -> None:
    pr = PR.open(tmp_path)
    pr.edit(WELLS, "  - us-census-tiger-counties\n", "")
    pr.edit(
        WELLS,
        "media_type: application/geo+json\n",
        "media_type: application/geo+json\n"
        "  - path: fixtures/extra.csv\n    media_type: text/csv\n",
    )
    pr.edit(TIGER, "stewards: [mara-osei, tomas-reyes]", "stewards: [mara-osei, june-harjo]")
    pr.edit(WELL_SOURCE, "policy_label: public", "policy_label: restricted")
    diffs = _diff(pr)
    wells = _lines(diffs["ks_water_wells"])
    assert ("dataset_changed", "sources removed: us-census-tiger-counties", "low") in wells
    assert ("dataset_changed", "outputs added: fixtures/extra.csv", "low") in wells
    assert (
        "label_raised",
        "source kgs-water-wells: label public → restricted (raised)",
        "medium",
    ) in wells
    # the source no longer used by the wells at head still counts: it was used at base
    assert (
        "stewards_changed",
        "source us-census-tiger-counties: stewards added: june-harjo",
        "high",
    ) in wells
    assert (
        "stewards_changed",
        "source us-census-tiger-counties: stewards removed: tomas-reyes",
        "high",
    ) in wells
    assert diffs["ks_water_wells"].severity == "high"


def test_formatting_only_says_no_change_in_meaning(tmp_path: Path) -> None:
    pr = PR.open(tmp_path)
    text = pr.read(WELLS)
    pr.write(
        {
            WELLS: text.replace("title: Kansas Water Wells", "title: 'Kansas Water Wells'")
            + "\n# a comment\n"
        }
    )
    unit = _diff(pr)["ks_water_wells"]
    assert not unit.meaning_changed
    assert [(ln.change_class, ln.text) for ln in unit.lines] == [("dataset_changed", NO_MEANING)]
    assert unit.required == pr.evaluate().units[0].required


def test_markdown_escapes_what_a_pr_wrote(tmp_path: Path) -> None:
    pr = PR.open(tmp_path)
    pr.edit(WELLS, 'version: "1.1.3"', 'version: "1.1.4"')
    pr.edit(WELLS, "tool: duckdb", "tool: '@admin <img src=x>'")
    out = render_markdown(tuple(_diff(pr).values()))
    assert "<img" not in out and "@admin" not in out
    assert "&lt;img src=x&gt;" in out


def test_cli_diff_text_json_markdown(tmp_path: Path) -> None:
    pr = PR.open(tmp_path)
    pr.edit(ARCHAEO, "spdx: CC-BY-NC-4.0", "spdx: CC-BY-4.0")
    as_json = kfm_bot("diff", "--base", "main", "--head", "pr", "--format", "json", cwd=pr.repo)
    assert as_json.returncode == 0, as_json.stderr
    units = json.loads(as_json.stdout)["units"]
    assert [u["unit"] for u in units] == ["archaeo_site_density"]
    assert units[0]["lines"][0]["text"] == "licence CC-BY-NC-4.0 → CC-BY-4.0"
    md = kfm_bot("diff", "--base", "main", "--head", "pr", "--format", "markdown", cwd=pr.repo)
    assert "**licence changed**" in md.stdout
    # the working tree is the default head
    (pr.repo / WELLS).write_text(
        pr.read(WELLS).replace("policy_label: public", "policy_label: restricted")
    )
    text = kfm_bot("diff", "--base", "main", cwd=pr.repo)
    assert "label public → restricted (raised)" in text.stdout, text.stdout
    bad = kfm_bot("diff", "--base", "no-such-ref", cwd=pr.repo)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
