"""A dataset folder: the commented spec `kfm-bot new dataset` writes, and the catalog, QA
report and receipt skeletons that agree with it (JSON has no comments: spec.yaml's explain)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from kfm_bot.repo.layout import SPECS_DIR, spec_path
from kfm_bot.scaffold.text import fill, flow_list, scalar, template

ZERO = "sha256:" + "0" * 64  # "not recorded yet": `kfm-bot refresh` or the pipeline sets it
QA_PENDING = {
    "id": "pipeline.qa-pending",
    "status": "fail",
    "detail": "replace this report with the QA report the pipeline run writes",
}


@dataclass(frozen=True)
class DatasetFacts:
    """What a new dataset says. None leaves a field empty for the contributor (the gates then
    fail at that line); the licence, label, publisher and rights holder come from a source."""

    slug: str
    sources: list[str]
    run_id: str
    created_at: str  # the receipt's UTC time, 2026-11-03T09:17:42Z
    title: str | None = None
    description: str = ""
    tool: str | None = None
    tool_version: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    output: str = "fixtures/sample.geojson"
    media_type: str = "application/geo+json"
    label: str | None = None
    license: str | None = None
    attribution: str | None = None
    publisher: str | None = None
    rights_holder: str | None = None
    qa_checks: list[dict[str, str]] = field(default_factory=lambda: [dict(QA_PENDING)])


def dataset_files(facts: DatasetFacts) -> dict[str, bytes]:
    """Repository path -> bytes of the spec, DCAT, PROV, QA report and receipt."""
    base = f"{SPECS_DIR}/{facts.slug}"
    receipt = f"receipts/{facts.run_id}.json"
    values = {
        "SLUG": facts.slug,
        "TITLE": scalar(facts.title),
        "DESCRIPTION": scalar(facts.description),
        "SOURCES": flow_list(facts.sources),
        "TRANSFORM_ID": "run",
        "TOOL": scalar(facts.tool),
        "TOOL_VERSION": scalar(facts.tool_version),
        "PARAMS": json.dumps(facts.params, ensure_ascii=False),
        "OUTPUT": scalar(facts.output),
        "MEDIA_TYPE": scalar(facts.media_type),
        "FIRST_SOURCE": facts.sources[0] if facts.sources else "(none given)",
        "LABEL": scalar(facts.label),
        "LICENSE": scalar(facts.license),
        "ATTRIBUTION": scalar(facts.attribution),
        "RUN_ID": facts.run_id,
    }
    spec = fill(template("spec.yaml"), spec_path(facts.slug), values)
    return {
        spec_path(facts.slug): spec.encode("utf-8"),
        f"{base}/catalog/dcat.json": _json(_dcat(facts)),
        f"{base}/catalog/prov.json": _json(_prov(facts, receipt)),
        f"{base}/qa/report.json": _json(_qa(facts)),
        f"{base}/{receipt}": _json(_receipt(facts)),
    }


def _json(value: Any) -> bytes:
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _dcat(facts: DatasetFacts) -> dict[str, Any]:
    title = facts.title or ""
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "kfm": "https://kfm.example.org/ns#",
        },
        "@id": f"kfm://dataset/{facts.slug}",
        "@type": "dcat:Dataset",
        "dct:identifier": facts.slug,
        "dct:title": title,
        "dct:description": facts.description or title,
        "dct:publisher": {"@type": "foaf:Organization", "foaf:name": facts.publisher or ""},
        "dct:license": facts.license or "",
        "dct:rightsHolder": facts.rights_holder or "",
        "dct:source": [f"kfm://source/{s}" for s in facts.sources],
        "kfm:policy_label": facts.label or "",
        "kfm:spec": "spec.yaml",
        "kfm:prov": "catalog/prov.json",
        "dcat:distribution": [
            {
                "@type": "dcat:Distribution",
                "dct:title": f"{title or facts.slug} ({facts.output})",
                "dcat:accessURL": facts.output,
                "dcat:mediaType": facts.media_type,
            }
        ],
    }


def _prov(facts: DatasetFacts, receipt: str) -> dict[str, Any]:
    run, out, dataset = f"kfm:run/{facts.run_id}", f"kfm:file/{facts.output}", "kfm:dataset"
    entities: dict[str, Any] = {
        f"kfm:source/{s}": {"prov:type": "kfm:Source", "kfm:source_id": s} for s in facts.sources
    }
    entities[out] = {"prov:type": "kfm:Output", "kfm:path": facts.output}
    entities[f"{dataset}/{facts.slug}"] = {"prov:type": "kfm:Dataset", "kfm:spec": "spec.yaml"}
    used = {
        f"_:u{i}": {"prov:activity": run, "prov:entity": f"kfm:source/{s}"}
        for i, s in enumerate(facts.sources, 1)
    }
    return {
        "prefix": {"kfm": "https://kfm.example.org/ns#", "prov": "http://www.w3.org/ns/prov#"},
        "entity": entities,
        "activity": {
            run: {
                "prov:label": f"pipeline run {facts.run_id}",
                "kfm:role": "transform",
                "kfm:receipt": receipt,
                "prov:endTime": facts.created_at,
            }
        },
        "used": used,
        "wasGeneratedBy": {"_:g1": {"prov:entity": out, "prov:activity": run}},
    }


def _qa(facts: DatasetFacts) -> dict[str, Any]:
    failed = any(check["status"] == "fail" for check in facts.qa_checks)
    return {
        "kfm_qa_report_version": "v1",
        "dataset_slug": facts.slug,
        "status": "fail" if failed else "pass",
        "checks": facts.qa_checks,
    }


def _receipt(facts: DatasetFacts) -> dict[str, Any]:
    """The run's receipt with nothing recorded yet: digests and spec_hash are zero (refresh
    fills them from the files), validation fails until the pipeline's QA report passes."""
    return {
        "kfm_run_receipt_version": "v1",
        "run_id": facts.run_id,
        "actor": {"principal": "svc:pipeline", "role": "pipeline"},
        "operation": "ingest+transform",
        "dataset_version_id": f"{facts.created_at[:7]}.00000000",
        "spec_hash": ZERO,
        "inputs": [
            {"source_id": s, "uri": f"kfm://source/{s}", "digest": ZERO} for s in facts.sources
        ],
        "outputs": [{"path": facts.output, "digest": ZERO, "media_type": facts.media_type}],
        "environment": {"container_digest": ZERO, "git_commit": "0" * 40, "params_digest": ZERO},
        "validation": {"status": "fail", "report_digest": ZERO},
        "policy": {"policy_label": facts.label or ""},
        "created_at": facts.created_at,
    }
