"""Gate G, production posture (warnings only): an SBOM and a build provenance per dataset."""

from __future__ import annotations

from collections.abc import Callable
from fnmatch import fnmatchcase

from kfm_bot.findings import Finding, warning
from kfm_bot.gates.engine.context import GateContext
from kfm_bot.gates.engine.reading import dataset_files, is_regular
from kfm_bot.gates.g_posture.attestation_formats import (
    jsonl_problems,
    sbom_problem,
    statement_problem,
)

RULES: dict[str, str] = {
    "G.sbom-missing": "No `attestations/sbom.*.json` (CycloneDX or SPDX JSON); generate one "
    "for the pipeline's image (e.g. with syft) and commit it.",
    "G.sbom-invalid": "An SBOM is neither CycloneDX nor SPDX JSON; regenerate it.",
    "G.provenance-missing": "No build provenance (`attestations/*.intoto.jsonl` or "
    "`attestations/provenance.json`); attach the pipeline's in-toto attestation.",
    "G.provenance-invalid": "A provenance file is not an in-toto statement; regenerate it.",
}
MAX_BYTES = 8 * 1024 * 1024


def run(ctx: GateContext) -> list[Finding]:
    findings: list[Finding] = []
    for slug, paths in sorted(dataset_files(ctx).items()):
        if not is_regular(ctx, ctx.spec_path(slug)):
            continue  # a deleted or broken dataset: gates A-F say why
        findings += _dataset(ctx, slug, paths)
    return findings


def _dataset(ctx: GateContext, slug: str, paths: list[str]) -> list[Finding]:
    here = f"specs/{slug}/attestations/"
    sboms = [p for p in paths if fnmatchcase(p, here + "sbom.*.json") and "/" not in p[len(here) :]]
    provs = [
        p
        for p in paths
        if p == here + "provenance.json"
        or (p.startswith(here) and p.endswith(".intoto.jsonl") and "/" not in p[len(here) :])
    ]
    spec = ctx.spec_path(slug)
    findings: list[Finding] = []
    if not sboms:
        msg = f"{slug} has no SBOM; add {here}sbom.cdx.json (CycloneDX) or sbom.spdx.json (SPDX)"
        findings.append(warning("G.sbom-missing", msg, spec, 1, 1))
    if not provs:
        msg = f"{slug} has no build provenance; add {here}<run>.intoto.jsonl or provenance.json"
        findings.append(warning("G.provenance-missing", msg, spec, 1, 1))
    findings += [f for p in sboms for f in _json_file(ctx, p, "G.sbom-invalid", sbom_problem)]
    for path in provs:
        if path.endswith(".jsonl"):
            findings += _jsonl(ctx, path)
        else:
            findings += _json_file(ctx, path, "G.provenance-invalid", statement_problem)
    return findings


def _json_file(
    ctx: GateContext, path: str, rule: str, problem_of: Callable[[object], str | None]
) -> list[Finding]:
    if not is_regular(ctx, path):
        return [warning(rule, f"{path} is not a regular file; commit the file itself", path, 1, 1)]
    loaded = ctx.docs.load(path)
    if loaded is None or loaded.data is None:
        first = loaded.findings[0] if loaded is not None and loaded.findings else None
        why = first.message if first is not None else "it cannot be read"
        line, col = (first.line or 1, first.column or 1) if first is not None else (1, 1)
        return [warning(rule, f"{path} is not valid JSON ({why}); regenerate it", path, line, col)]
    problem = problem_of(loaded.data)
    if problem is None:
        return []
    return [warning(rule, f"{path}: {problem}; regenerate it", path, 1, 1)]


def _jsonl(ctx: GateContext, path: str) -> list[Finding]:
    rule = "G.provenance-invalid"
    if not is_regular(ctx, path):
        return [warning(rule, f"{path} is not a regular file; commit the file itself", path, 1, 1)]
    raw = ctx.head.read(path, MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        return [warning(rule, f"{path} is larger than 8 MiB; attach it elsewhere", path, 1, 1)]
    return [
        warning(rule, f"{path} line {line}: {problem}; regenerate it", path, line, 1)
        for line, problem in jsonl_problems(raw)
    ]
