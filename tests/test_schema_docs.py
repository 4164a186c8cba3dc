"""Editor help: every schema property is described, scalars carry examples, titles read as
words, `$id` is the fetchable stable URL, and the JSON evidence files are mapped to schemas."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from kfm_bot.ledger.records import MANIFEST
from kfm_bot.models import DOCUMENTS, SCHEMA_BASE_URL, schema_filename
from kfm_bot.promotion.prepare import DECISION
from kfm_bot.repo.layout import PROMOTIONS_DIR

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
SCALARS = {"string", "integer", "number"}


def _schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SCHEMAS / schema_filename(name)).read_text())
    return loaded


def properties(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every property schema under `node`, recursively: nested objects, items, $defs."""
    if not isinstance(node, dict):
        return
    for key, sub in (node.get("properties") or {}).items():
        yield f"{where}.{key}", sub
        yield from properties(sub, f"{where}.{key}")
    for key, sub in (node.get("$defs") or {}).items():
        yield from properties(sub, f"$defs/{key}")
    for key in ("items", "additionalProperties"):
        yield from properties(node.get(key), f"{where}[]")
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in node.get(key) or []:
            yield from properties(sub, where)


def _types(node: dict[str, Any]) -> set[str]:
    """The JSON types a property may take, through `anyOf` (pydantic's `X | None`)."""
    found = {node["type"]} if isinstance(node.get("type"), str) else set()
    for sub in node.get("anyOf") or []:
        found |= _types(sub)
    return found


def _shows_values(node: dict[str, Any]) -> bool:
    """Examples, or an enum/const the editor already offers, on the node or an `anyOf` arm."""
    if any(key in node for key in ("examples", "enum", "const")):
        return True
    return any(_shows_values(sub) for sub in node.get("anyOf") or [])


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_every_property_is_described(name: str) -> None:
    undescribed = [
        where for where, sub in properties(_schema(name), "") if not sub.get("description")
    ]
    assert undescribed == [], f"{name}: add Field(description=...) to {undescribed}"


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_every_scalar_property_shows_example_values(name: str) -> None:
    missing = []
    for where, sub in properties(_schema(name), ""):
        if _types(sub) - {"null"} <= SCALARS and _types(sub) - {"null"} and not _shows_values(sub):
            missing.append(where)
        items = sub.get("items")
        if not isinstance(items, dict) or not _types(items) or not _types(items) <= SCALARS:
            continue
        if not (_shows_values(items) or _shows_values(sub)):  # on the items or the whole list
            missing.append(f"{where}[]")
    assert missing == [], f"{name}: give these an example (Field(examples=...)): {missing}"


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_titles_read_as_words(name: str) -> None:
    schema = _schema(name)
    # pydantic's `JsonValue` $def (any JSON) has no title: only models do.
    defs = schema.get("$defs", {}).values()
    titles = [schema["title"]] + [d["title"] for d in defs if "properties" in d]
    assert all(not re.fullmatch(r"(?:[A-Z][a-z0-9]+){2,}", title) for title in titles), titles
    assert " " in schema["title"] or schema["title"].isupper()


def test_schema_id_is_the_file_on_the_source_repository() -> None:
    urls = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]
    owner_name = urls["Source"].removeprefix("https://github.com/")
    assert f"https://raw.githubusercontent.com/{owner_name}/main/schemas/" == SCHEMA_BASE_URL
    for name in DOCUMENTS:
        assert _schema(name)["$id"] == SCHEMA_BASE_URL + schema_filename(name)


def test_a_described_field_describes_its_schema_property() -> None:
    """The description is the model's, not copied into the file: change one, see it move."""
    field = DOCUMENTS["policy_stewards"].model_fields["stewards"]
    schema = _schema("policy_stewards")
    assert schema["properties"]["stewards"]["description"] == field.description


# --- JSON evidence files ---------------------------------------------------------------------

SETTINGS = ROOT / ".vscode" / "settings.json"


def _mappings() -> list[tuple[list[str], str]]:
    settings = json.loads(SETTINGS.read_text())
    out = []
    for entry in settings["json.schemas"]:
        name = entry["url"].removeprefix("./schemas/").removesuffix(".v1.schema.json")
        assert entry["url"] == f"./schemas/{schema_filename(name)}" and name in DOCUMENTS
        out.append((entry["fileMatch"], name))
    return out


def _matches(path: str, globs: list[str]) -> bool:
    """VS Code's reading of a workspace `fileMatch`: a `/`-led glob from the workspace root,
    `*` within one path segment, `**` across segments."""
    for glob in globs:
        assert glob.startswith("/"), f"{glob}: anchor it at the workspace root"
        regex = re.escape(glob).replace(r"\*\*", ".*").replace(r"\*", "[^/]*")
        if re.fullmatch(regex, "/" + path):
            return True
    return False


def _evidence_files() -> list[str]:
    """JSON documents of the example content that one of our schemas describes."""
    out = []
    for path in sorted(ROOT.glob("specs/*/*/*.json")) + sorted(
        ROOT.glob("registry/promotions/**/*.json")
    ):
        rel = path.relative_to(ROOT).as_posix()
        if rel.split("/")[2] != "attestations":  # in-toto and SBOM formats: not ours
            out.append(rel)
    return out


# Promotion writes these two beside each other; the example content holds no promotion, so
# their globs are checked against the path promotion builds (the documents themselves are
# validated against the schemas in tests/test_schemas_drift.py).
PROMOTED = {"promotion_manifest": MANIFEST, "policy_decision": DECISION}


def test_every_mapping_matches_real_files_that_validate() -> None:
    files = _evidence_files()
    for globs, name in _mappings():
        if name in PROMOTED:
            path = f"{PROMOTIONS_DIR}/ks_water_wells/2026-11.0a1b2c3d/{PROMOTED[name]}"
            assert _matches(path, globs), f"{globs} misses {path}"
            continue
        matched = [path for path in files if _matches(path, globs)]
        assert matched, f"{globs} ({name}) matches no file of the repository"
        validator = Draft202012Validator(_schema(name))
        for path in matched:
            document = json.loads((ROOT / path).read_text())
            assert list(validator.iter_errors(document)) == [], path


def test_every_evidence_file_has_exactly_one_schema() -> None:
    mappings = _mappings()
    for path in _evidence_files():
        names = [name for globs, name in mappings if _matches(path, globs)]
        assert len(names) == 1, f"{path} is mapped to {names or 'no schema'}"
    assert not _matches("specs/ks_water_wells/attestations/provenance.json", _all_globs())


def _all_globs() -> list[str]:
    return [glob for globs, _ in _mappings() for glob in globs]
