"""The document models: the v1 templates validate, extra keys are rejected, invariants hold."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from kfm_bot.models import DOCUMENTS
from kfm_bot.models.decision import PolicyDecision, decision_id_for
from kfm_bot.models.manifest import PromotionManifest, principal_string
from kfm_bot.models.policies import ApprovalsPolicy, LabelsPolicy, StewardsPolicy
from kfm_bot.models.receipt import RunReceipt
from kfm_bot.models.source import SourceEntry
from kfm_bot.models.spec import PipelineSpec
from tests.helpers.refresh_digests import load_spec

ROOT = Path(__file__).resolve().parent.parent
D1, D2, D3 = ("sha256:" + c * 64 for c in "123")
DECISION = "kfm://policy_decision/" + "ab" * 32

# The v1 receipt template of the KFM contract docs (public reference text), with its
# placeholder digests made concrete, plus the `spec_hash` kfm-bot adds (and nothing else).
RECEIPT_TEMPLATE: dict[str, Any] = {
    "run_id": "kfm://run/2026-02-20T12:00:00Z.abcd",
    "actor": {"principal": "svc:pipeline", "role": "pipeline"},
    "operation": "ingest+publish",
    "dataset_version_id": "2026-02.abcd1234",
    "spec_hash": D3,
    "inputs": [{"uri": "raw/source.csv", "digest": D1}],
    "outputs": [{"uri": "processed/events.parquet", "digest": D2}],
    "environment": {"container_digest": D1, "git_commit": "deadbeef", "params_digest": D2},
    "validation": {"status": "pass", "report_digest": D3},
    "policy": {"decision_id": DECISION},
    "created_at": "2026-02-20T12:05:00Z",
}
MANIFEST_TEMPLATE: dict[str, Any] = {
    "kfm_promotion_manifest_version": "v1",
    "dataset_slug": "example_dataset",
    "dataset_version_id": "2026-02.abcd1234",
    "spec_hash": D1,
    "released_at": "2026-02-20T13:00:00Z",
    "artifacts": [{"path": "events.parquet", "digest": D2, "media_type": "application/x-parquet"}],
    "catalogs": [
        {"path": "dcat.jsonld", "digest": D1},
        {"path": "stac/collection.json", "digest": D2},
        {"path": "prov/bundle.jsonld", "digest": D3},
    ],
    "qa": {"status": "pass", "report_digest": D3},
    "policy": {"policy_label": "public", "decision_id": DECISION},
    "approvals": [
        {
            "role": "steward",
            "principal": "github:583231:octocat",
            "approved_at": "2026-02-20T12:59:00Z",
        }
    ],
}


def _decision() -> dict[str, Any]:
    body: dict[str, Any] = {
        "kfm_policy_decision_version": "v1",
        "dataset_slug": "example_dataset",
        "spec_hash": D1,
        "policy_label": "restricted",
        "decision": "allow",
        "rules": [{"rule": "C.no-downgrade", "outcome": "pass", "detail": ""}],
        "obligations": [{"kind": "redaction", "detail": "grid 10 km, 2 decimals"}],
        "policies_digest": D2,
    }
    return {**body, "decision_id": decision_id_for(body)}


def _json(rel: str) -> Any:
    return json.loads((ROOT / rel).read_text())


def valid_documents() -> dict[str, Any]:
    """One valid instance of every registered document."""
    slug = ROOT / "specs" / "archaeo_site_density"
    receipt = next((slug / "receipts").glob("*.json"))
    finding = {"rule": "A.id", "severity": "error", "message": "m", "path": "x", "line": 1}
    return {
        "source_entry": load_spec(ROOT / "registry/sources/kshs-archaeological-sites.yaml"),
        "pipeline_spec": load_spec(slug / "spec.yaml"),
        "run_receipt": json.loads(receipt.read_text()),
        "promotion_manifest": MANIFEST_TEMPLATE,
        "policy_decision": _decision(),
        "gate_report": {
            "kfm_gate_report_version": "v1",
            "base": "a" * 40,
            "head": None,
            "conclusion": "failure",
            "datasets": [{"dataset_slug": "ks_water_wells", "spec_hash": D1}],
            "gates": [{"gate": "A", "name": "identity", "status": "fail", "findings": [finding]}],
        },
        "ledger_entry": {
            "seq": 1,
            "prev": "sha256:" + "0" * 64,
            "event": "promotion",
            "dataset_slug": "ks_water_wells",
            "dataset_version_id": "2026-11.abcdef01",
            "spec_hash": D1,
            "manifest_digest": D2,
            "decision_id": DECISION,
            "pr_number": 7,
            "merge_commit": "c" * 40,
            "actor": "kfm-bot[bot]",
            "recorded_at": "2026-11-06T10:00:00Z",
        },
        "qa_report": _json("specs/archaeo_site_density/qa/report.json"),
        "dcat_dataset": _json("specs/archaeo_site_density/catalog/dcat.json"),
        "stac_collection": _json("specs/archaeo_site_density/catalog/stac.json"),
        "prov_document": _json("specs/archaeo_site_density/catalog/prov.json"),
        "policy_labels": load_spec(ROOT / "policies/labels.yaml"),
        "policy_licenses": load_spec(ROOT / "policies/licenses.yaml"),
        "policy_stewards": load_spec(ROOT / "policies/stewards.yaml"),
        "policy_approvals": load_spec(ROOT / "policies/approvals.yaml"),
        "policy_storage": load_spec(ROOT / "policies/storage.yaml"),
        "policy_quarantine": load_spec(ROOT / "policies/quarantine.yaml"),
        "policy_signing_keys": load_spec(ROOT / "policies/signing_keys.yaml"),
        "policy_rule": load_spec(ROOT / "policies/rules/https-access.yaml"),
        "policy_test": load_spec(ROOT / "policies/tests/https-access-pass.yaml"),
        # export pack documents: copied from a real `kfm-bot export` of ks_county_boundaries
        "export_spec": _json("tests/export/examples/export_spec.json"),
        "export_artifact_manifest": _json("tests/export/examples/artifact_manifest.json"),
        "export_receipt": _json("tests/export/examples/export_receipt.json"),
        # rendered-target documents: copied from a real `--target geojson_bundle` export
        "export_bundle_manifest": _json("tests/export/examples/bundle_pack_manifest.json"),
        "export_bundle_receipt": _json("tests/export/examples/bundle_export_receipt.json"),
    }


OPEN = {"dcat_dataset", "stac_collection", "prov_document"}


def test_every_document_has_a_valid_instance() -> None:
    docs = valid_documents()
    assert set(docs) == set(DOCUMENTS)
    for name, data in docs.items():
        DOCUMENTS[name].model_validate(data)


@pytest.mark.parametrize("name", sorted(set(DOCUMENTS) - OPEN))
def test_strict_documents_reject_extra_keys(name: str) -> None:
    data = copy.deepcopy(valid_documents()[name])
    data["unexpected"] = 1
    with pytest.raises(ValidationError, match="unexpected"):
        DOCUMENTS[name].model_validate(data)


@pytest.mark.parametrize("name", sorted(OPEN))
def test_open_profiles_allow_extra_keys_but_require_their_own(name: str) -> None:
    data = copy.deepcopy(valid_documents()[name])
    DOCUMENTS[name].model_validate({**data, "ex:anything": [1, 2]})
    first_required = next(iter(DOCUMENTS[name].model_json_schema()["required"]))
    del data[first_required]
    with pytest.raises(ValidationError):
        DOCUMENTS[name].model_validate(data)


def test_nested_extra_key_is_rejected() -> None:
    data = copy.deepcopy(valid_documents()["source_entry"])
    data["license"]["licence_url"] = "https://example.org"
    with pytest.raises(ValidationError, match="licence_url"):
        SourceEntry.model_validate(data)


def test_templates_validate() -> None:
    assert RunReceipt.model_validate(RECEIPT_TEMPLATE).kfm_run_receipt_version == "v1"
    without_spec_hash = {k: v for k, v in RECEIPT_TEMPLATE.items() if k != "spec_hash"}
    with pytest.raises(ValidationError, match="spec_hash"):
        RunReceipt.model_validate(without_spec_hash)
    manifest = PromotionManifest.model_validate(MANIFEST_TEMPLATE)
    assert set(manifest.model_dump()) == set(MANIFEST_TEMPLATE)


def test_models_are_frozen() -> None:
    spec = PipelineSpec.model_validate(valid_documents()["pipeline_spec"])
    with pytest.raises(ValidationError):
        spec.policy_label = "public"  # type: ignore[misc]


def test_quarantine_block_iff_quarantined() -> None:
    data = copy.deepcopy(valid_documents()["source_entry"])
    with pytest.raises(ValidationError, match="quarantine"):
        SourceEntry.model_validate({**data, "status": "quarantined"})
    block: dict[str, Any] = {
        "reason_code": "license-unclear",
        "remediation": {"owner": "a-b", "due": "2027-01-15"},
    }
    with pytest.raises(ValidationError, match="quarantine"):
        SourceEntry.model_validate({**data, "quarantine": block})
    SourceEntry.model_validate({**data, "status": "quarantined", "quarantine": block})
    block["remediation"]["due"] = "2027-02-30"
    with pytest.raises(ValidationError):
        SourceEntry.model_validate({**data, "status": "quarantined", "quarantine": block})


@pytest.mark.parametrize(
    ("pin", "ok"),
    [
        ({"version": "3.8.4"}, True),
        ({"digest": D1}, True),
        ({}, False),
        ({"version": "3.8.4", "digest": D1}, False),
        ({"version": "latest"}, False),
        ({"version": ">=3.8"}, False),
    ],
)
def test_transform_is_pinned_exactly_once(pin: dict[str, str], ok: bool) -> None:
    data = copy.deepcopy(valid_documents()["pipeline_spec"])
    data["transforms"] = [{"id": "t", "tool": "gdal", "params": {}, **pin}]
    if ok:
        PipelineSpec.model_validate(data)
    else:
        with pytest.raises(ValidationError):
            PipelineSpec.model_validate(data)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("spec_hash", "sha256:" + "A" * 64),
        ("spec_hash", "sha256:abc"),
        ("created_at", "2026-11-05T08:03:30+00:00"),
        ("created_at", "2026-11-05 08:03:30Z"),
        ("dataset_version_id", "2026-13.abcdef01"),
    ],
)
def test_formats_are_enforced(field: str, value: str) -> None:
    with pytest.raises(ValidationError):
        RunReceipt.model_validate({**RECEIPT_TEMPLATE, field: value})


@pytest.mark.parametrize("path", ["../spec.yaml", "/etc/passwd", "a/../b", "a//b", "./a", "a\\b"])
def test_relative_paths_stay_inside(path: str) -> None:
    data = copy.deepcopy(RECEIPT_TEMPLATE)
    data["outputs"] = [{"path": path, "digest": D1}]
    with pytest.raises(ValidationError):
        RunReceipt.model_validate(data)


def test_decision_id_binds_the_content() -> None:
    decision = _decision()
    PolicyDecision.model_validate(decision)
    assert decision_id_for(decision) == decision["decision_id"]
    assert decision_id_for({**decision, "decision": "deny"}) != decision["decision_id"]
    assert principal_string(583231, "octocat") == "github:583231:octocat"


def test_policy_file_invariants() -> None:
    docs = valid_documents()
    labels = copy.deepcopy(docs["policy_labels"])
    labels["labels"]["public"]["rank"] = 5
    with pytest.raises(ValidationError, match="public < internal"):
        LabelsPolicy.model_validate(labels)
    stewards = copy.deepcopy(docs["policy_stewards"])
    stewards["stewards"].append(dict(stewards["stewards"][0]))
    with pytest.raises(ValidationError, match="only once"):
        StewardsPolicy.model_validate(stewards)
    approvals = copy.deepcopy(docs["policy_approvals"])
    approvals["classes"]["made_up_class"] = {"roles": {"data": 1}}
    with pytest.raises(ValidationError):
        ApprovalsPolicy.model_validate(approvals)
    policy = ApprovalsPolicy.model_validate(docs["policy_approvals"])
    assert policy.for_class("unknown") == policy.default
    assert policy.for_class("label_lowered").roles["sensitivity"] == 1


def test_registry_holds_models() -> None:
    assert all(issubclass(model, BaseModel) for model in DOCUMENTS.values())
