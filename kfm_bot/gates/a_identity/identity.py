"""Gate A, identity: id formats and names, unique ids, known sources, frozen promotions, YAML."""

from __future__ import annotations

import unicodedata
from typing import Any

from kfm_bot.findings import Finding, error
from kfm_bot.gates.engine.context import GateContext
from kfm_bot.gates.engine.reading import DOC_SUFFIXES, dataset_files, is_regular, located, quoted
from kfm_bot.models.patterns import DATASET_SLUG_PATTERN, SOURCE_ID_PATTERN
from kfm_bot.repo.layout import (
    DATASET_SLUG_RE,
    SOURCE_ID_RE,
    SOURCES_DIR,
    SPECS_DIR,
    Kind,
    classify,
    source_path,
    spec_path,
)
from kfm_bot.repo.snapshot import children

RULES: dict[str, str] = {
    "A.source-id-format": f"source_id must match {SOURCE_ID_PATTERN}: rename it.",
    "A.source-id-mismatch": "source_id must equal the file stem: rename the file or fix the id.",
    "A.dataset-slug-format": f"dataset_slug must match {DATASET_SLUG_PATTERN}: rename the dataset.",
    "A.dataset-slug-mismatch": "dataset_slug must equal its directory name: fix one of them.",
    "A.id-collision": "two ids equal ignoring case or Unicode normalisation: pick a distinct id.",
    "A.duplicate-source-ref": "a spec lists the same source twice: remove the repeat.",
    "A.unknown-source": "a spec names a source with no registry/sources/<id>.yaml: add or fix it.",
    "A.source-in-use": "a deleted or renamed source is still used by a spec: update the spec.",
    "A.promotion-edited": "promotions and the ledger are written only by the bot: revert it.",
}


def run(ctx: GateContext) -> list[Finding]:
    findings = _loader_findings(ctx)
    for source_id in ctx.in_scope_sources():
        findings += _check_source(ctx, source_id)
    for slug in ctx.in_scope_datasets():
        findings += _check_spec(ctx, slug)
    findings += _collisions(ctx)
    if not ctx.changes.everything:
        findings += _promotions_edited(ctx)
    return findings


def _loader_findings(ctx: GateContext) -> list[Finding]:
    """Strict-YAML findings of every in-scope document: sources, specs and dataset files."""
    paths = [source_path(s) for s in ctx.in_scope_sources()]
    for files in dataset_files(ctx).values():
        paths += [p for p in files if p.endswith(DOC_SUFFIXES)]
    findings: list[Finding] = []
    for path in paths:
        found = ctx.docs.loader_findings(path) if is_regular(ctx, path) else None
        if found and _is_fixture(path):
            findings.extend(_without_values(f) for f in found)
        elif found:
            findings.extend(found)
    return findings


def _is_fixture(path: str) -> bool:
    parts = path.split("/")
    return len(parts) > 3 and parts[2] == "fixtures"


def _without_values(finding: Finding) -> Finding:
    """A loader finding on a fixture, without the loader's quote of the value (gate C rule).

    Loader messages quote what they read (`integer 96613847... is outside ...`); in a fixture
    that may be a protected location, so only the rule and the place are reported.
    """
    msg = (
        f"this fixture is not strict YAML/JSON here ({finding.rule}; value not shown: fixtures "
        "may hold protected locations); see `kfm-bot rules` for how to write it"
    )
    return finding.replace(message=msg)


def _data(ctx: GateContext, path: str) -> dict[str, Any] | None:
    return ctx.docs.data(path) if is_regular(ctx, path) else None


def _check_source(ctx: GateContext, source_id: str) -> list[Finding]:
    path = source_path(source_id)
    data = _data(ctx, path)
    if data is None:
        return []
    value = data.get("source_id")
    if not isinstance(value, str) or not SOURCE_ID_RE.match(value):
        msg = f"source_id {quoted(value)} is not a valid id; use lowercase letters, digits and '-'"
        return [located(ctx, "A.source-id-format", msg, path, ("source_id",))]
    if value != source_id:
        msg = f"source_id {quoted(value)} differs from the file name; name the file {value}.yaml"
        return [located(ctx, "A.source-id-mismatch", msg, path, ("source_id",))]
    return []


def _check_spec(ctx: GateContext, slug: str) -> list[Finding]:
    path = spec_path(slug)
    data = _data(ctx, path)
    if data is None:
        return []
    findings = _check_slug(ctx, path, slug, data.get("dataset_slug"))
    sources = data.get("sources")
    if isinstance(sources, list):
        findings += _check_refs(ctx, path, sources)
    return findings


def _check_slug(ctx: GateContext, path: str, slug: str, value: object) -> list[Finding]:
    if not isinstance(value, str) or not DATASET_SLUG_RE.match(value):
        msg = f"dataset_slug {quoted(value)} is not valid; use lowercase letters, digits and '_'"
        return [located(ctx, "A.dataset-slug-format", msg, path, ("dataset_slug",))]
    if value != slug:
        msg = (
            f"dataset_slug {quoted(value)} differs from its folder {quoted(slug)}; make them equal"
        )
        return [located(ctx, "A.dataset-slug-mismatch", msg, path, ("dataset_slug",))]
    return []


def _check_refs(ctx: GateContext, path: str, sources: list[object]) -> list[Finding]:
    findings: list[Finding] = []
    seen: set[object] = set()
    for i, ref in enumerate(sources):
        if not isinstance(ref, str):
            continue  # a schema error, reported by gate F
        if ref in seen:
            msg = f"source {quoted(ref)} is listed twice; remove the repeat"
            findings.append(located(ctx, "A.duplicate-source-ref", msg, path, ("sources", i)))
        seen.add(ref)
        if ctx.head.entry(source_path(ref)) is None:
            findings.append(_missing_source(ctx, path, i, ref))
    return findings


def _missing_source(ctx: GateContext, path: str, i: int, ref: str) -> Finding:
    target = source_path(ref)
    if ctx.base is not None and ctx.base.entry(target) is not None:
        msg = (
            f"this change deletes or renames {quoted(target)} but the spec still uses source "
            f"{quoted(ref)}; keep the source or update the spec's sources"
        )
        return located(ctx, "A.source-in-use", msg, path, ("sources", i))
    msg = f"source {quoted(ref)} is not registered; add {quoted(target)} or fix the id"
    return located(ctx, "A.unknown-source", msg, path, ("sources", i))


def _key(name: str) -> str:
    if name.isascii():
        return name.lower()
    return unicodedata.normalize("NFKC", name).casefold()


def _collisions(ctx: GateContext) -> list[Finding]:
    """Source ids (file stems) and dataset slugs (directory names) unique ignoring case and form.

    Only names that fold like an in-scope id are grouped, from the two folders' own listings:
    no pass over every path of the tree.
    """
    want_sources = {_key(s) for s in ctx.scope.sources}
    want_datasets = {_key(d) for d in ctx.scope.datasets}
    sources: dict[str, set[str]] = {}
    datasets: dict[str, set[str]] = {}
    if want_sources:
        for name, is_folder in children(ctx.head, SOURCES_DIR).items():
            sid = name[:-5]  # without ".yaml"
            key = sid.lower() if sid.isascii() else _key(sid)  # _key, inline for the common case
            if key in want_sources and not is_folder and name.endswith(".yaml") and sid:
                sources.setdefault(key, set()).add(sid)
    if want_datasets:
        for slug, is_folder in children(ctx.head, SPECS_DIR).items():
            key = slug.lower() if slug.isascii() else _key(slug)
            if key in want_datasets and is_folder and ctx.head.entry(spec_path(slug)):
                datasets.setdefault(key, set()).add(slug)
    findings: list[Finding] = []
    for group in sources.values():
        for sid in sorted(group):
            if len(group) > 1 and sid in ctx.scope.sources:
                findings.append(_collision(ctx, source_path(sid), "source_id", sid, group))
    for group in datasets.values():
        for slug in sorted(group):
            if len(group) > 1 and slug in ctx.scope.datasets:
                findings.append(_collision(ctx, spec_path(slug), "dataset_slug", slug, group))
    return findings


def _collision(ctx: GateContext, path: str, key: str, name: str, group: set[str]) -> Finding:
    others = ", ".join(quoted(o) for o in sorted(group - {name}))
    msg = f"{key} {quoted(name)} collides with {others} ignoring case or Unicode form; rename one"
    return located(ctx, "A.id-collision", msg, path, (key,))


def _promotions_edited(ctx: GateContext) -> list[Finding]:
    findings: list[Finding] = []
    for change in ctx.changes.changes:
        for path in {change.path, change.old_path or change.path}:
            if classify(path).kind in (Kind.PROMOTION, Kind.LEDGER):
                msg = (
                    f"{quoted(path)} is written only by the bot on merge and this change "
                    f"{_VERBS.get(change.status, 'changes')} it; revert that change"
                )
                findings.append(error("A.promotion-edited", msg, path, 1, 1))
    return findings


_VERBS = {"A": "adds", "M": "modifies", "D": "deletes", "R": "renames", "T": "retypes"}
