"""The PROV lineage diagram: the example's graph, and labels a PR cannot break out of."""

from __future__ import annotations

import json

from kfm_bot.report.lineage import MAX_NODES, label, prov_mermaid
from kfm_bot.report.markdown import lineage_sections
from tests.gitrepo import PROJECT


def test_the_wells_lineage_names_sources_run_and_output() -> None:
    prov = json.loads((PROJECT / "specs/ks_water_wells/catalog/prov.json").read_text())
    diagram = prov_mermaid(prov)
    assert diagram is not None and diagram.startswith("flowchart LR\n")
    assert '["kgs-water-wells"]' in diagram and '["fixtures/ks_wells_sample.geojson"]' in diagram
    assert '(["pipeline run ks_water_wells-20261104T130000Z"])' in diagram
    assert "-->|used|" in diagram and "-->|generated|" in diagram and "-.->|derived|" in diagram


def test_hostile_labels_stay_labels() -> None:
    evil = 'x"] --> n0\nclick n0 "javascript:alert(1)"\n```\n<img src=x> @admin #1'
    prov = {"entity": {"kfm:source/a": {"prov:label": evil}}, "activity": {"r": {}}}
    diagram = prov_mermaid(prov)
    assert diagram is not None
    node = diagram.splitlines()[1]
    assert node.startswith('  n0["') and node.endswith('"]') and node.count('"') == 2
    assert "`" not in diagram and "<" not in diagram and "\n" not in node
    assert "@admin" not in diagram and len(label(evil * 10)) <= 200
    [section] = lineage_sections({"a": diagram})
    assert section.count("```") == 2  # the fence is never closed early


def test_bounded_and_empty() -> None:
    many: dict[str, object] = {"entity": {f"e{i}": {} for i in range(500)}}
    diagram = prov_mermaid(many)
    assert diagram is not None and len(diagram.splitlines()) == 1 + MAX_NODES
    assert prov_mermaid({}) is None and prov_mermaid({"entity": []}) is None
