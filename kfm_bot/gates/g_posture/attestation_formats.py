"""Shape checks of SBOMs (CycloneDX, SPDX JSON) and in-toto statements, for gate G."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping

STATEMENT_TYPE = re.compile(r"^https://in-toto\.io/Statement/v[0-9.]+$")
SPDX_VERSION = re.compile(r"^SPDX-[23]\.[0-9]+$")
HEX_DIGEST = re.compile(r"^[0-9a-f]{64}$")
DSSE_INTOTO = "application/vnd.in-toto+json"


def sbom_problem(doc: object) -> str | None:
    """Why `doc` is neither a CycloneDX nor an SPDX JSON SBOM, or None when it is one."""
    if not isinstance(doc, dict):
        return "it is not a JSON object"
    if doc.get("bomFormat") == "CycloneDX":
        if not isinstance(doc.get("specVersion"), str):
            return "a CycloneDX SBOM needs a `specVersion` string"
        if not isinstance(doc.get("components", []), list):
            return "CycloneDX `components` must be a list"
        return None
    if "spdxVersion" in doc:
        if not SPDX_VERSION.match(str(doc["spdxVersion"])):
            return "`spdxVersion` must look like SPDX-2.3"
        if doc.get("SPDXID") != "SPDXRef-DOCUMENT" or not isinstance(doc.get("name"), str):
            return "an SPDX document needs `SPDXID: SPDXRef-DOCUMENT` and a `name`"
        return None
    return "it has neither `bomFormat: CycloneDX` nor `spdxVersion`"


def statement_problem(doc: object) -> str | None:
    """Why `doc` is not an in-toto statement (bare or in a DSSE envelope), or None when it is."""
    if isinstance(doc, dict) and "payloadType" in doc:
        doc, problem = _unwrap(doc)
        if problem is not None:
            return problem
    if not isinstance(doc, dict) or not STATEMENT_TYPE.match(str(doc.get("_type", ""))):
        return "`_type` must be an in-toto Statement type (https://in-toto.io/Statement/v1)"
    if not isinstance(doc.get("predicateType"), str) or not doc["predicateType"]:
        return "the statement needs a `predicateType` (e.g. https://slsa.dev/provenance/v1)"
    subjects = doc.get("subject")
    if not isinstance(subjects, list) or not subjects:
        return "the statement needs at least one `subject`"
    for subject in subjects:
        digest = subject.get("digest") if isinstance(subject, dict) else None
        if not isinstance(digest, dict) or not HEX_DIGEST.match(str(digest.get("sha256", ""))):
            return "each subject needs a `digest` with a 64-hex `sha256`"
    return None


def _unwrap(envelope: Mapping[str, object]) -> tuple[object, str | None]:
    if envelope.get("payloadType") != DSSE_INTOTO:
        return None, f"a DSSE envelope's `payloadType` must be {DSSE_INTOTO}"
    if not isinstance(envelope.get("signatures"), list) or not envelope["signatures"]:
        return None, "the DSSE envelope carries no `signatures`"
    try:
        return json.loads(base64.b64decode(str(envelope.get("payload", "")), validate=True)), None
    except (binascii.Error, ValueError):
        return None, "the DSSE `payload` is not base64 of a JSON statement"


def jsonl_problems(raw: bytes) -> list[tuple[int, str]]:
    """(line, problem) for each line of a `.intoto.jsonl` file that is not a statement."""
    problems: list[tuple[int, str]] = []
    lines = raw.decode("utf-8", errors="replace").splitlines()
    if not any(line.strip() for line in lines):
        return [(1, "the file holds no statement")]
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            problem = statement_problem(json.loads(line))
        except ValueError:
            problem = "the line is not JSON"
        if problem is not None:
            problems.append((number, problem))
    return problems
