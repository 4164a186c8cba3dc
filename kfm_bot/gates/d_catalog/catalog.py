"""Gate D, catalog triplet: DCAT, STAC and PROV exist, fit the KFM profiles and link up."""

from __future__ import annotations

import re
from collections.abc import Mapping

from pydantic import BaseModel

from kfm_bot.findings import Finding, error
from kfm_bot.gates.d_catalog import catalog_links as links
from kfm_bot.gates.d_catalog import catalog_xrefs as xrefs
from kfm_bot.gates.d_catalog.catalog_agree import agrees, dcat_links, prov_complete
from kfm_bot.gates.engine.context import GateContext
from kfm_bot.gates.engine.reading import dataset_dir, get, located, shown, spec_data
from kfm_bot.models.catalog import DcatDataset, ProvDocument, StacCollection
from kfm_bot.repo.layout import resolve_relative

RULES: dict[str, str] = {
    "D.catalog-missing": "the spec must name DCAT and PROV files (STAC optional) that exist; "
    "add the file or fix `catalog` in spec.yaml",
    "D.catalog-invalid": "a catalog file does not match its KFM profile in schemas/; fix the "
    "fields the message names",
    "D.identifier-mismatch": "DCAT `dct:identifier` and STAC `id` must equal the dataset slug; "
    "set them to the directory name",
    "D.catalog-mismatch": "a catalog disagrees with the spec (spec/PROV/STAC links, licence or "
    "policy label); make it say what spec.yaml says",
    "D.link-unresolved": "a path in a catalog names a file that does not exist; add the file or "
    "fix the path (relative to the dataset directory)",
    "D.path-escape": "a path in a catalog or the spec's `catalog` is absolute, uses `..` or is "
    "not a path; write it relative to the dataset directory",
    "D.prov-incomplete": "PROV must reference the spec, every receipt and every output; add "
    "entities (kfm:path / kfm:spec) or activities (kfm:receipt) naming them",
    "D.source-unresolved": "`dct:source` (kfm://source/<id>) or PROV `kfm:source_id` names no "
    "source in registry/sources/; use the source_id of a registered source the spec lists",
    "D.prov-undefined": "a PROV relation (used, wasGeneratedBy, ...) names an entity, activity "
    "or agent the document does not define; define it or fix the name",
}
PATTERN_ERROR = re.compile(r"String should match pattern '.*'$")
KINDS: dict[str, tuple[str, type[BaseModel], str]] = {
    "dcat": ("DCAT", DcatDataset, "dcat_dataset.v1"),
    "stac": ("STAC", StacCollection, "stac_collection.v1"),
    "prov": ("PROV", ProvDocument, "prov_document.v1"),
}


def run(ctx: GateContext) -> list[Finding]:
    findings: list[Finding] = []
    for slug in ctx.in_scope_datasets():
        spec = spec_data(ctx, slug)
        if spec is not None:
            findings += check_dataset(ctx, slug, spec)
    return findings


def check_dataset(ctx: GateContext, slug: str, spec: Mapping[str, object]) -> list[Finding]:
    files, findings = _catalog_files(ctx, slug, spec)
    for kind, path in files.items():
        findings += _validate(ctx, kind, path)
    base = dataset_dir(slug)
    dcat = ctx.docs.data(files["dcat"]) if "dcat" in files else None
    stac = ctx.docs.data(files["stac"]) if "stac" in files else None
    prov = ctx.docs.data(files["prov"]) if "prov" in files else None
    if dcat is not None:
        findings += links.check_refs(ctx, base, files["dcat"], links.dcat_refs(dcat))[0]
        findings += agrees(ctx, slug, spec, files["dcat"], dcat, "dct:identifier", "dct:license")
        findings += dcat_links(ctx, slug, spec, files["dcat"], dcat)
        findings += xrefs.dcat_sources(ctx, spec, files["dcat"], dcat)
    if stac is not None:
        findings += links.check_refs(ctx, base, files["stac"], links.stac_refs(stac))[0]
        findings += agrees(ctx, slug, spec, files["stac"], stac, "id", "license")
    if prov is not None:
        found, resolved = links.check_refs(ctx, base, files["prov"], links.prov_refs(prov))
        findings += found + prov_complete(ctx, slug, spec, files["prov"], set(resolved))
        findings += xrefs.prov_sources(ctx, spec, files["prov"], prov)
        findings += xrefs.prov_relations(ctx, files["prov"], prov)
    return findings


def _catalog_files(
    ctx: GateContext, slug: str, spec: Mapping[str, object]
) -> tuple[dict[str, str], list[Finding]]:
    """The catalog files the spec names that exist, and findings for those that do not."""
    spec_file, files, findings = ctx.spec_path(slug), {}, []
    for kind, (what, _, _) in KINDS.items():
        ref = get(spec, "catalog", kind)
        target = resolve_relative(dataset_dir(slug), ref) if isinstance(ref, str) else None
        if ref is None and kind != "stac":
            msg = f"the spec names no {what} file; add `catalog.{kind}: catalog/{kind}.json`"
            findings.append(located(ctx, "D.catalog-missing", msg, spec_file, ("catalog",)))
        elif isinstance(ref, str) and target is None:
            msg = (
                f"`catalog.{kind}` `{shown(ref)}` must be a path relative to the dataset directory"
            )
            findings.append(located(ctx, "D.path-escape", msg, spec_file, ("catalog", kind)))
        elif target is not None and ctx.head.entry(target) is None:
            msg = f"the {what} file {target} does not exist; add it or fix `catalog.{kind}`"
            findings.append(located(ctx, "D.catalog-missing", msg, spec_file, ("catalog", kind)))
        elif target is not None:
            files[kind] = target
    return files, findings


def _validate(ctx: GateContext, kind: str, path: str) -> list[Finding]:
    what, model, schema = KINDS[kind]
    loaded = ctx.docs.load(path)
    if loaded is None:
        return []  # not a regular file: gate A's finding
    if loaded.data is None:
        first = loaded.findings[0] if loaded.findings else None
        why = first.message if first else "it is not a JSON object"
        line, col = (first.line, first.column) if first else (1, 1)
        msg = f"the {what} file cannot be read: {why}"
        return [error("D.catalog-invalid", msg, path, line or 1, col or 1)]
    if ctx.docs.model(path, model) is not None:
        return []
    problems = ctx.docs.schema_findings.get(path, [])
    first_problem = problems[0] if problems else None
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    detail = _plain(first_problem.message) if first_problem else "it does not validate"
    msg = f"the {what} record does not fit the KFM profile {schema}.schema.json: {detail}{more}"
    line = first_problem.line if first_problem else 1
    col = first_problem.column if first_problem else 1
    return [error("D.catalog-invalid", msg, path, line or 1, col or 1)]


def _plain(message: str) -> str:
    """A schema message without the regular expression a pattern error quotes."""
    return PATTERN_ERROR.sub("is not in the allowed form", message)[:300]
