"""The rule catalogue is complete, in the README, and every rule has a failing example."""

from __future__ import annotations

import json
import re
from pathlib import Path

from kfm_bot.gates.rule_catalog import YAML_RULES, all_rules, markdown_table

ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = "<!-- rules:begin -->\n", "<!-- rules:end -->"


def test_every_yaml_rule_the_loader_emits_is_catalogued() -> None:
    emitted: set[str] = set()
    for path in (ROOT / "kfm_bot").glob("yaml_*.py"):
        emitted |= set(re.findall(r'"(A\.yaml-[a-z0-9-]+)"', path.read_text()))
    emitted |= set(
        re.findall(r'"(A\.yaml-[a-z0-9-]+)"', (ROOT / "kfm_bot/yaml/strict.py").read_text())
    )
    assert emitted, "no yaml rules found in the loader"
    assert emitted <= set(YAML_RULES), emitted - set(YAML_RULES)


def test_rule_ids_are_unique_and_prefixed_by_their_gate() -> None:
    ids = [r.rule for r in all_rules()]
    assert len(ids) == len(set(ids))
    for rule in all_rules():
        assert rule.rule.startswith(rule.gate + "."), rule


def test_readme_embeds_the_current_rule_table() -> None:
    readme = (ROOT / "README.md").read_text()
    embedded = readme.split(BEGIN, 1)[1].split(END, 1)[0]
    assert embedded == markdown_table(), "regenerate: kfm-bot rules, paste between the markers"


def test_every_gate_rule_has_a_failing_example() -> None:
    expected: set[str] = set()
    for path in (ROOT / "tests/examples").glob("*/fail/*/expect.json"):
        expected |= set(json.loads(path.read_text())["rules"])
    for path in (ROOT / "tests/bad_inputs").glob("expected.json"):
        expected |= {str(v) for v in json.loads(path.read_text()).values()}
    # Cases built at test time (symlinks, submodules, 64 MiB files) assert their rule in code.
    code = "".join(
        p.read_text() for p in (ROOT / "tests").rglob("test_*.py") if p.name != Path(__file__).name
    )
    asserted = {r.rule for r in all_rules() if f'"{r.rule}"' in code}
    missing = {r.rule for r in all_rules()} - expected - asserted
    assert not missing, f"rules without a failing example: {sorted(missing)}"
