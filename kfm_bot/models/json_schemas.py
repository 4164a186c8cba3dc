"""Generates the JSON Schemas in `schemas/` from the document models and detects drift."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kfm_bot.models import DOCUMENTS, schema_filename, schema_id

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_DIR = "schemas"


def schema_for(name: str) -> dict[str, Any]:
    """The 2020-12 schema of one document, with `$schema` and `$id` first."""
    body = DOCUMENTS[name].model_json_schema(mode="validation")
    return {"$schema": JSON_SCHEMA_DIALECT, "$id": schema_id(name), **body}


def render(schema: dict[str, Any]) -> bytes:
    return (json.dumps(schema, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def expected_files() -> dict[str, bytes]:
    """File name -> exact bytes of every schema the models define."""
    return {schema_filename(name): render(schema_for(name)) for name in sorted(DOCUMENTS)}


def drift(directory: Path) -> list[str]:
    """Sentences naming each schema file that is missing, stale or unexpected."""
    expected = expected_files()
    problems = []
    for filename, content in expected.items():
        path = directory / filename
        if not path.is_file():
            problems.append(f"{SCHEMA_DIR}/{filename} is missing")
        elif path.read_bytes() != content:
            problems.append(f"{SCHEMA_DIR}/{filename} differs from its model")
    if directory.is_dir():
        for path in sorted(directory.glob("*.schema.json")):
            if path.name not in expected:
                problems.append(f"{SCHEMA_DIR}/{path.name} has no model")
    return problems


def write(directory: Path) -> list[str]:
    """Write every schema whose bytes changed and drop orphans; returns the files touched."""
    directory.mkdir(parents=True, exist_ok=True)
    expected = expected_files()
    touched = []
    for filename, content in expected.items():
        path = directory / filename
        if not path.is_file() or path.read_bytes() != content:
            path.write_bytes(content)
            touched.append(filename)
    for path in sorted(directory.glob("*.schema.json")):
        if path.name not in expected:
            path.unlink()
            touched.append(path.name)
    return touched
