"""Gate G's format checks: CycloneDX and SPDX SBOMs, in-toto statements bare and in DSSE."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from kfm_bot.gates.g_posture.attestation_formats import (
    jsonl_problems,
    sbom_problem,
    statement_problem,
)

STATEMENT: dict[str, Any] = {
    "_type": "https://in-toto.io/Statement/v1",
    "subject": [{"name": "fixtures/a.geojson", "digest": {"sha256": "ab" * 32}}],
    "predicateType": "https://slsa.dev/provenance/v1",
    "predicate": {},
}


def _envelope(body: bytes, **over: Any) -> dict[str, Any]:
    env = {
        "payloadType": "application/vnd.in-toto+json",
        "payload": base64.b64encode(body).decode(),
        "signatures": [{"keyid": "k", "sig": "c2ln"}],
    }
    return env | over


@pytest.mark.parametrize(
    ("doc", "ok"),
    [
        ({"bomFormat": "CycloneDX", "specVersion": "1.5", "components": []}, True),
        ({"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "name": "n"}, True),
        ({"bomFormat": "CycloneDX"}, False),
        ({"bomFormat": "CycloneDX", "specVersion": "1.5", "components": {}}, False),
        ({"spdxVersion": "2.3", "SPDXID": "SPDXRef-DOCUMENT", "name": "n"}, False),
        ({"spdxVersion": "SPDX-2.3", "name": "n"}, False),
        ({"packages": []}, False),
        ([], False),
    ],
)
def test_sbom_shapes(doc: Any, ok: bool) -> None:
    assert (sbom_problem(doc) is None) is ok


@pytest.mark.parametrize(
    ("doc", "ok"),
    [
        (STATEMENT, True),
        (_envelope(json.dumps(STATEMENT).encode()), True),
        (_envelope(json.dumps(STATEMENT).encode(), signatures=[]), False),
        (_envelope(json.dumps(STATEMENT).encode(), payloadType="text/plain"), False),
        (_envelope(b"", payload="%%%"), False),
        (STATEMENT | {"_type": "https://example.org/Statement"}, False),
        (STATEMENT | {"predicateType": ""}, False),
        (STATEMENT | {"subject": []}, False),
        (STATEMENT | {"subject": [{"name": "a", "digest": {"sha256": "XYZ"}}]}, False),
        ("statement", False),
    ],
)
def test_statement_shapes(doc: Any, ok: bool) -> None:
    assert (statement_problem(doc) is None) is ok


def test_jsonl_problems_are_numbered_by_line() -> None:
    good = json.dumps(STATEMENT)
    raw = f"{good}\n\n{{nope\n{json.dumps({'_type': 'x'})}\n".encode()
    assert [line for line, _ in jsonl_problems(raw)] == [3, 4]
    assert jsonl_problems(b"\n\n") == [(1, "the file holds no statement")]
    assert jsonl_problems(good.encode()) == []
