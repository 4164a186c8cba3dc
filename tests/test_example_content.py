"""The example repository content validates, is self-consistent, and carries editor modelines."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from kfm_bot.cli import main
from kfm_bot.models import DOCUMENTS, schema_filename
from kfm_bot.models.catalog import ProvDocument, redaction_activities
from kfm_bot.models.common import LABEL_ORDER
from kfm_bot.models.receipt import RunReceipt
from kfm_bot.models.source import SourceEntry
from kfm_bot.models.spec import PipelineSpec
from tests.gitrepo import init_example_repo
from tests.helpers.refresh_digests import load_spec, spec_hash, stale

ROOT = Path(__file__).resolve().parent.parent
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)/([a-z_]+)\.v1\.schema\.json$")
YAML_FILES = sorted(
    [*ROOT.glob("registry/sources/*.yaml"), *ROOT.glob("specs/*/spec.yaml")]
    + [
        ROOT / "policies" / f"{name}.yaml"
        for name in ("labels", "licenses", "stewards", "approvals")
    ]
    + [*ROOT.glob("policies/rules/*.yaml"), *ROOT.glob("policies/tests/*.yaml")]
)
SPEC_DIRS = sorted(p.parent for p in ROOT.glob("specs/*/spec.yaml"))
JSON_DOCS = {"catalog/dcat.json": "dcat_dataset", "catalog/stac.json": "stac_collection"}
JSON_DOCS |= {"catalog/prov.json": "prov_document", "qa/report.json": "qa_report"}


def _validate(name: str, data: Any) -> None:
    DOCUMENTS[name].model_validate(data)
    schema = json.loads((ROOT / "schemas" / schema_filename(name)).read_text())
    errors = [e.message for e in Draft202012Validator(schema).iter_errors(data)]
    assert errors == []


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_yaml_has_modeline_and_validates(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = MODELINE.match(first)
    assert match, f"{path}: line 1 must be a yaml-language-server modeline"
    target = (path.parent / match.group(1) / f"{match.group(2)}.v1.schema.json").resolve()
    assert target == ROOT / "schemas" / schema_filename(match.group(2))
    _validate(match.group(2), load_spec(path))


def test_source_ids_match_file_stems() -> None:
    for path in ROOT.glob("registry/sources/*.yaml"):
        assert SourceEntry.model_validate(load_spec(path)).source_id == path.stem


def _spec(spec_dir: Path) -> PipelineSpec:
    return PipelineSpec.model_validate(load_spec(spec_dir / "spec.yaml"))


@pytest.mark.parametrize("spec_dir", SPEC_DIRS, ids=lambda p: p.name)
def test_dataset_evidence_validates(spec_dir: Path) -> None:
    spec = _spec(spec_dir)
    assert spec.dataset_slug == spec_dir.name
    for rel, name in JSON_DOCS.items():
        _validate(name, json.loads((spec_dir / rel).read_text()))
    assert [spec.catalog.dcat, spec.catalog.stac, spec.catalog.prov, spec.qa] == [
        "catalog/dcat.json",
        "catalog/stac.json",
        "catalog/prov.json",
        "qa/report.json",
    ]
    for output in spec.outputs:
        assert output.path is not None  # the examples' outputs are fixtures beside the spec
        assert (spec_dir / output.path).is_file()
    assert spec.receipts


@pytest.mark.parametrize("spec_dir", SPEC_DIRS, ids=lambda p: p.name)
def test_receipts_bind_the_spec_and_the_bytes(spec_dir: Path) -> None:
    digest = spec_hash(load_spec(spec_dir / "spec.yaml"))
    for rel in _spec(spec_dir).receipts:
        data = json.loads((spec_dir / rel).read_text())
        _validate("run_receipt", data)
        receipt = RunReceipt.model_validate(data)
        assert receipt.spec_hash == digest
        assert receipt.dataset_version_id == f"2026-11.{digest[7:15]}"
        assert (spec_dir / rel).stem == receipt.run_id


def test_no_receipt_is_stale() -> None:
    assert stale(ROOT) == {}, "run: python -m tests.helpers.refresh_digests"


def _sources() -> dict[str, SourceEntry]:
    entries = (SourceEntry.model_validate(load_spec(p)) for p in ROOT.glob("registry/sources/*"))
    return {entry.source_id: entry for entry in entries}


def test_labels_never_downgrade_and_sources_are_usable() -> None:
    sources = _sources()
    for spec_dir in SPEC_DIRS:
        spec = _spec(spec_dir)
        used = [sources[s] for s in spec.sources]
        assert all(s.status == "active" for s in used)
        floor = max(LABEL_ORDER.index(s.sensitivity.policy_label) for s in used)
        assert LABEL_ORDER.index(spec.policy_label) >= floor


def test_the_restricted_dataset_is_generalised() -> None:
    spec = _spec(ROOT / "specs" / "archaeo_site_density")
    assert spec.policy_label == "restricted"
    assert spec.redaction is not None and spec.redaction.precision_decimals == 2
    prov = ProvDocument.model_validate(
        json.loads((ROOT / "specs/archaeo_site_density" / spec.catalog.prov).read_text())
    )
    assert redaction_activities(prov)
    for output in spec.outputs:
        assert output.path is not None
        text = (ROOT / "specs/archaeo_site_density" / output.path).read_text()
        decimals = [len(m) for m in re.findall(r"-?[0-9]+\.([0-9]+)", text)]
        assert decimals and max(decimals) <= 2


def test_the_content_covers_each_kind_of_source() -> None:
    sources = _sources()
    assert any(s.sensitivity.sensitive_locations for s in sources.values())
    assert {s.status for s in sources.values()} == {"active", "quarantined", "retired"}
    used = {s for d in SPEC_DIRS for s in _spec(d).sources}
    assert all(sources[s].status != "quarantined" for s in used)


def test_check_all_passes_on_the_examples(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = init_example_repo(tmp_path / "repo")
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "--all", "--repo", str(repo), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    _validate("gate_report", report)
    failing = [g["findings"] for g in report["gates"] if g["status"] != "pass"]
    assert (exit_info.value.code, report["conclusion"], failing) == (0, "success", [])
