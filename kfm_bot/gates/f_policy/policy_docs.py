"""Gate F's document checks: every in-scope document fits its model; some evidence resolves."""

from __future__ import annotations

from pydantic import BaseModel

from kfm_bot.findings import Finding
from kfm_bot.gates.engine.context import GateContext
from kfm_bot.gates.engine.reading import get, is_regular, located, spec_data
from kfm_bot.models.catalog import DcatDataset, ProvDocument, StacCollection
from kfm_bot.models.qa import QaReport
from kfm_bot.models.receipt import RunReceipt
from kfm_bot.models.source import SourceEntry
from kfm_bot.models.spec import PipelineSpec
from kfm_bot.repo.layout import resolve_relative

CATALOG_MODELS: dict[str, type[BaseModel]] = {
    "dcat": DcatDataset,
    "stac": StacCollection,
    "prov": ProvDocument,
}


def schema_findings(ctx: GateContext) -> list[Finding]:
    """Validate each in-scope document against its model; DocumentStore keeps the located errors."""
    paths: list[str] = []
    for source_id in ctx.in_scope_sources():
        paths.append(_validate(ctx, ctx.source_path(source_id), SourceEntry))
    for slug in ctx.in_scope_datasets():
        paths.append(_validate(ctx, ctx.spec_path(slug), PipelineSpec))
        for path, cls in _evidence(ctx, slug):
            if path is not None and is_regular(ctx, path):
                paths.append(_validate(ctx, path, cls))
    prefixes = tuple(f"specs/{slug}/" for slug in ctx.in_scope_datasets())
    # Other gates may have validated more of the dataset's files (gate D: catalogs); report those.
    paths += [p for p in ctx.docs.schema_findings if p.startswith(prefixes)]
    return [f for path in dict.fromkeys(paths) for f in ctx.docs.schema_findings.get(path, [])]


def _validate(ctx: GateContext, path: str, cls: type[BaseModel]) -> str:
    ctx.docs.fits(path, cls)  # the located findings, if any, are kept by the store
    return path


def _evidence(ctx: GateContext, slug: str) -> list[tuple[str | None, type[BaseModel]]]:
    """(resolved head path or None, model) for each receipt, catalog record and QA report."""
    data = spec_data(ctx, slug) or {}
    base = f"specs/{slug}"
    refs: list[tuple[object, type[BaseModel]]] = []
    receipts = get(data, "receipts")
    refs += [(r, RunReceipt) for r in receipts] if isinstance(receipts, list) else []
    refs += [(get(data, "catalog", k), cls) for k, cls in CATALOG_MODELS.items()]
    refs.append((get(data, "qa"), QaReport))
    return [(resolve_relative(base, ref), cls) for ref, cls in refs if isinstance(ref, str) and ref]


def evidence_findings(ctx: GateContext) -> list[Finding]:
    """A dataset whose every evidence reference dangles has nothing to stand on."""
    findings: list[Finding] = []
    for slug in ctx.in_scope_datasets():
        path = ctx.spec_path(slug)
        if spec_data(ctx, slug) is None:
            continue
        if not any(p is not None and is_regular(ctx, p) for p, _ in _evidence(ctx, slug)):
            msg = (
                f"none of {slug}'s evidence (receipts, catalog records, QA report) exists in "
                f"specs/{slug}/; add them or correct the paths in the spec"
            )
            findings.append(located(ctx, "F.evidence-unresolved", msg, path, ("receipts",)))
    return findings
