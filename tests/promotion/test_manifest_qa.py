"""The manifest builder refuses, by itself, any QA or validation result other than `pass`.

Gate E refuses these first; these tests call the builder with the gates bypassed, as a
regression in scope or registration would, and prove the manifest still cannot say it.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from pydantic import ValidationError

from kfm_bot.canonical import spec_hash
from kfm_bot.errors import GateFailure
from kfm_bot.gates.engine.context import DocumentStore
from kfm_bot.models.manifest import PromotionManifest
from kfm_bot.models.spec import PipelineSpec
from kfm_bot.promotion import documents
from kfm_bot.repo.layout import spec_path
from tests.bcd_support import MemorySnapshot, example_files

SLUG = "ks_water_wells"
QA = f"specs/{SLUG}/qa/report.json"
RECEIPT = f"specs/{SLUG}/receipts/ks_water_wells-20261104T130000Z.json"
Edit = dict[str, Any]


def _build(qa: Edit | None = None, validation: str = "pass") -> dict[str, Any]:
    files = example_files()
    report = json.loads(files[QA])
    report.update(qa or {})
    files[QA] = json.dumps(report).encode()
    receipt = json.loads(files[RECEIPT])
    receipt["validation"]["status"] = validation
    files[RECEIPT] = json.dumps(receipt).encode()
    docs = DocumentStore(MemorySnapshot(files))
    spec = docs.model(spec_path(SLUG), PipelineSpec)
    data = docs.data(spec_path(SLUG))
    assert spec is not None and data is not None
    digest = spec_hash(data)
    decision = documents.build_decision(SLUG, spec, digest, [], documents.policies_digest(docs))
    version = documents.dataset_version_id(digest, 1_793_700_000)
    released = documents.rfc3339(1_793_700_000)
    return documents.build_manifest(
        docs, spec, digest, version, released, decision["decision_id"], []
    )


def test_a_passing_version_gets_a_manifest_that_says_pass() -> None:
    assert _build()["qa"]["status"] == "pass"


FAILED_CHECK = [{"id": "geometry.valid", "status": "pass"}, {"id": "crs.wgs84", "status": "fail"}]


@pytest.mark.parametrize(
    ("qa", "validation", "said"),
    [
        ({"status": "fail"}, "pass", "the QA report says fail"),
        ({"status": "warn"}, "pass", "the QA report says warn"),
        ({"checks": FAILED_CHECK}, "pass", "checks crs.wgs84 fail"),
        (None, "degraded", "validation.status degraded"),
        (None, "warn", "validation.status warn"),
    ],
)
def test_the_builder_refuses_anything_but_pass(qa: Edit | None, validation: str, said: str) -> None:
    with pytest.raises(GateFailure, match=re.escape(said)):
        _build(qa, validation)


def test_a_warning_check_still_promotes() -> None:
    checks = [{"id": "geometry.valid", "status": "pass"}, {"id": "crs.wgs84", "status": "warn"}]
    assert _build({"checks": checks})["qa"]["status"] == "pass"


@pytest.mark.parametrize("status", ["fail", "warn", "degraded"])
def test_the_manifest_model_only_carries_pass(status: str) -> None:
    manifest = _build()
    manifest["qa"]["status"] = status
    with pytest.raises(ValidationError, match=r"qa\.status"):
        PromotionManifest.model_validate(manifest)
