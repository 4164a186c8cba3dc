"""`kfm-bot new source|dataset`: a commented entry or dataset folder in an existing repository,
with the fields only a contributor knows left empty (the gates fail there until filled)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from kfm_bot.errors import UsageError
from kfm_bot.repo.layout import SPECS_DIR, source_path
from kfm_bot.scaffold.dataset import DatasetFacts, dataset_files
from kfm_bot.scaffold.ids import check_id
from kfm_bot.scaffold.refresh import load_spec
from kfm_bot.scaffold.source import SourceFacts, source_entry
from kfm_bot.scaffold.staging import write_new


def new_source(root: Path, source_id: str) -> list[str]:
    path, text = source_entry(SourceFacts(check_id("source id", source_id)), _roster(root))
    return write_new(root, {path: text})


def new_dataset(root: Path, slug: str, sources: list[str], title: str | None) -> list[str]:
    """The dataset folder; its licence, label, publisher and rights holder are the first
    source's (the spec's comments say so), its sources must be registered already."""
    check_id("dataset slug", slug)
    if (root / SPECS_DIR / slug).exists():
        raise UsageError(f"{SPECS_DIR}/{slug} exists already; pick another slug")
    if not sources:
        raise UsageError("name the dataset's sources: --source SOURCE_ID (repeatable)")
    entries = [_source(root, check_id("source id", s)) for s in sources]
    first = entries[0]
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    facts = DatasetFacts(
        slug=slug,
        sources=list(sources),
        run_id=f"{slug}-{now:%Y%m%dT%H%M%SZ}",
        created_at=f"{now:%Y-%m-%dT%H:%M:%SZ}",
        title=title,
        output=f"fixtures/{slug}_sample.geojson",
        label=_text(first, "sensitivity", "policy_label"),
        license=_text(first, "license", "spdx"),
        attribution=_text(first, "license", "attribution"),
        publisher=_text(first, "publisher", "name"),
        rights_holder=_text(first, "license", "rights_holder"),
    )
    return write_new(root, dataset_files(facts))


def _source(root: Path, source_id: str) -> dict[str, Any]:
    path = root / source_path(source_id)
    if not path.is_file():
        raise UsageError(
            f"{source_path(source_id)} does not exist; register the source first"
            f" (`kfm-bot new source {source_id}`)"
        )
    return load_spec(path)


def _text(data: dict[str, Any], *keys: str) -> str | None:
    node: Any = data
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, str) and node else None


def _roster(root: Path) -> list[str]:
    """The roster's logins, for the new entry's comment; none when it cannot be read."""
    path = root / "policies" / "stewards.yaml"
    try:
        data = load_spec(path) if path.is_file() else {}
    except UsageError:
        return []
    people = data.get("stewards")
    return (
        [p["login"] for p in people if isinstance(p, dict) and isinstance(p.get("login"), str)]
        if isinstance(people, list)
        else []
    )
