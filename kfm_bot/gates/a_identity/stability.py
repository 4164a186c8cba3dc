"""Gate A, stability: one spec_hash in every YAML style, no volatile values, receipts agree."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from kfm_bot.findings import Finding
from kfm_bot.gates.engine.context import GateContext
from kfm_bot.gates.engine.reading import dataset_files, is_regular, located, quoted
from kfm_bot.repo.layout import resolve_relative, spec_path

RULES: dict[str, str] = {
    "A.spec-hash-unstable": "the spec hashes differently in another YAML style: report this bug.",
    "A.floating-version": "a floating version (latest, >=, ~=, ^, *, 1.x): pin an exact version.",
    "A.absolute-path": "an absolute local path: use a path relative to the spec's directory.",
    "A.env-reference": "an environment reference ($VAR, ${VAR}, %VAR%): write the value itself.",
    "A.relative-time": "a relative time (now, today, yesterday): write a fixed UTC time.",
    "A.receipt-spec-hash": "a receipt's spec_hash is not the spec's: re-run the pipeline.",
}
_VOLATILE: tuple[tuple[str, re.Pattern[str], str], ...] = (
    (
        "A.floating-version",
        re.compile(
            r"(^|[:@=])latest$|^\s*(>=|<=|~=|==|!=|>|<|~|\^)\s*v?[0-9]"
            # "gdal>=3.8" floats; "depth_ft>=100" is a filter: only dotted versions count
            r"|^[A-Za-z][A-Za-z0-9_.-]*\s*(>=|~=|\^|~)\s*v?[0-9]+\.[0-9]"
            r"|^\*$|^v?[0-9]+(\.[0-9]+)*\.(\*|x|X)(\.(\*|x|X))*$",
            re.IGNORECASE,
        ),
        "floating version {v}; pin an exact version such as 1.2.3 or an image digest",
    ),
    (
        "A.absolute-path",
        re.compile(r"^(/(?!/)\S*|~/\S*|[A-Za-z]:[\\/]\S*|\\\\\S+|file:\S*)$"),
        "absolute local path {v}; use a path relative to the spec's directory",
    ),
    (
        "A.env-reference",
        re.compile(r"\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|%(?![0-9A-Fa-f]{2}%)[A-Za-z_]\w*%"),
        "environment reference in {v}; write the value itself so the hash pins it",
    ),
    (
        "A.relative-time",
        re.compile(r"^\s*(now|today|yesterday|tomorrow)(\(\))?(\s*[-+].*)?\s*$", re.IGNORECASE),
        "relative time {v}; write a fixed RFC 3339 UTC time such as 2026-01-31T00:00:00Z",
    ),
)


def run(ctx: GateContext) -> list[Finding]:
    from kfm_bot.canonical import spec_hash

    findings: list[Finding] = []
    files = dataset_files(ctx)
    for slug in ctx.in_scope_datasets():
        path = spec_path(slug)
        data = ctx.docs.data(path) if is_regular(ctx, path) else None
        if data is None:
            continue
        computed = spec_hash(data)
        findings += _restyled(ctx, path, data, computed)
        findings += _volatile(ctx, path, data)
        findings += _receipts(ctx, slug, data, files.get(slug, []), computed)
    return findings


def _restyled(
    ctx: GateContext, path: str, data: Mapping[str, object], computed: str
) -> list[Finding]:
    from kfm_bot.canonical import spec_hash
    from kfm_bot.yaml.strict import load_strict
    from kfm_bot.yaml.styles import restyle

    for style, raw in restyle(data).items():
        loaded = load_strict(raw, path)
        if loaded.data is None or spec_hash(loaded.data) != computed:
            msg = f"the spec re-emitted in {style} style does not hash to {computed}; report this"
            return [located(ctx, "A.spec-hash-unstable", msg, path)]
    return []


def _walk(
    value: Any, pointer: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(value, str):
        yield pointer, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, (*pointer, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _walk(item, (*pointer, i))


def _volatile(ctx: GateContext, path: str, data: Mapping[str, object]) -> list[Finding]:
    findings: list[Finding] = []
    for pointer, text in _walk(data):
        for rule, pattern, message in _VOLATILE:
            if pattern.search(text):
                findings.append(located(ctx, rule, message.format(v=quoted(text)), path, pointer))
                break
    return findings


def _receipts(
    ctx: GateContext, slug: str, spec: Mapping[str, object], files: list[str], computed: str
) -> list[Finding]:
    """Receipts the spec lists plus any under receipts/: a named spec_hash must be this one."""
    listed = spec.get("receipts")
    listed = listed if isinstance(listed, list) else []
    paths = {resolve_relative(f"specs/{slug}", r) for r in listed or [] if isinstance(r, str)}
    paths.update(p for p in files if p.startswith(f"specs/{slug}/receipts/"))
    findings: list[Finding] = []
    for path in sorted(p for p in paths if p and is_regular(ctx, p)):
        named = (ctx.docs.data(path) or {}).get("spec_hash")
        if isinstance(named, str) and named != computed:
            msg = f"receipt has spec_hash {quoted(named)}, the spec hashes to {computed}; re-run it"
            findings.append(located(ctx, "A.receipt-spec-hash", msg, path, ("spec_hash",)))
    return findings
