"""`schemas/` is generated from the models: no drift, every schema has `$id`, drift is caught."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from kfm_bot.cli import main
from kfm_bot.models import DOCUMENTS, SCHEMA_BASE_URL, json_schemas, schema_filename
from tests.test_models import RECEIPT_TEMPLATE, valid_documents

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"


def test_committed_schemas_match_the_models() -> None:
    assert json_schemas.drift(SCHEMAS) == []


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_schema_has_id_and_dialect(name: str) -> None:
    schema = json.loads((SCHEMAS / schema_filename(name)).read_text())
    assert schema["$id"] == f"{SCHEMA_BASE_URL}{name}.v1.schema.json"
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_schema_accepts_what_the_model_accepts(name: str) -> None:
    schema = json.loads((SCHEMAS / schema_filename(name)).read_text())
    document = valid_documents()[name]
    assert list(Draft202012Validator(schema).iter_errors(document)) == []
    if name not in {"dcat_dataset", "stac_collection", "prov_document"}:
        assert list(Draft202012Validator(schema).iter_errors({**document, "unexpected": 1}))


def test_schema_rejects_an_unpinned_and_an_escaping_receipt() -> None:
    schema = json.loads((SCHEMAS / schema_filename("run_receipt")).read_text())
    validator = Draft202012Validator(schema)
    bad = {**RECEIPT_TEMPLATE, "outputs": [{"path": "../x", "digest": "sha256:" + "1" * 64}]}
    assert list(validator.iter_errors(bad))
    assert list(validator.iter_errors({**RECEIPT_TEMPLATE, "created_at": "2026-02-20"}))


def test_schema_encodes_the_quarantine_rule() -> None:
    schema = json.loads((SCHEMAS / schema_filename("source_entry")).read_text())
    source = valid_documents()["source_entry"]
    assert list(Draft202012Validator(schema).iter_errors({**source, "status": "quarantined"}))


def test_drift_is_detected_and_fixed(tmp_path: Path) -> None:
    target = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, target)
    edited = target / schema_filename("source_entry")
    edited.write_text(edited.read_text().replace('"title"', '"Title"', 1))
    (target / schema_filename("pipeline_spec")).unlink()
    (target / "orphan.v1.schema.json").write_text("{}\n")
    problems = json_schemas.drift(target)
    assert len(problems) == 3
    assert any("source_entry" in p and "differs" in p for p in problems)
    assert any("pipeline_spec" in p and "missing" in p for p in problems)
    assert any("orphan" in p for p in problems)
    json_schemas.write(target)
    assert json_schemas.drift(target) == []


def _run(*args: str) -> int:
    with pytest.raises(SystemExit) as exit_info:
        main(["schemas", *args])
    return int(exit_info.value.code or 0)


def test_cli_check_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run("--repo", str(tmp_path), "--check") == 1
    assert "drifted; run `kfm-bot schemas`" in capsys.readouterr().err
    assert _run("--repo", str(tmp_path)) == 0
    assert "wrote schemas/source_entry.v1.schema.json" in capsys.readouterr().out
    assert _run("--repo", str(tmp_path), "--check") == 0
