"""Gate C's fixture check: GeoJSON/JSON fixtures of sensitive data carry only coarse coordinates."""

from __future__ import annotations

from typing import Any

from kfm_bot.findings import Finding, error
from kfm_bot.gates.context import GateContext
from kfm_bot.gates.docref import dataset_dir, get
from kfm_bot.gates.precision import over_precise

FIXTURE_SUFFIXES = (".geojson", ".json")
MAX_FIXTURE_BYTES = 32 * 1024 * 1024
MAX_FINDINGS_PER_FILE = 3


def fixture_paths(ctx: GateContext, slug: str) -> list[str]:
    prefix = f"{dataset_dir(slug)}/fixtures/"
    return sorted(
        p for p in ctx.head.paths() if p.startswith(prefix) and p.lower().endswith(FIXTURE_SUFFIXES)
    )


def check_fixtures(ctx: GateContext, slug: str, limit: int | None) -> list[Finding]:
    if limit is None:
        return []  # neither the plan nor the label sets a precision
    findings: list[Finding] = []
    for path in fixture_paths(ctx, slug):
        entry = ctx.head.entry(path)
        if entry is None or not entry.is_regular:
            continue  # symlinks and submodules are gate A's finding
        raw = ctx.head.read(path, MAX_FIXTURE_BYTES + 1)
        if len(raw) > MAX_FIXTURE_BYTES:
            msg = f"fixture is larger than {MAX_FIXTURE_BYTES} bytes; keep fixtures small samples"
            findings.append(error("C.fixture-precision", msg, path, 1, 1))
            continue
        findings += _check_text(path, raw.decode("utf-8", "replace"), limit)
    return findings


def _check_text(path: str, body: str, limit: int) -> list[Finding]:
    offences, total = over_precise(body, limit, MAX_FINDINGS_PER_FILE)
    findings = []
    for n, offence in enumerate(offences):
        more = f" ({total} such numbers in this file)" if n == 0 and total > 1 else ""
        msg = (
            f"a coordinate here has {offence.decimals} decimal places, more than the "
            f"{limit} allowed{more}; round every coordinate to {limit} decimal places "
            "(value not shown: it may be a protected location)"
        )
        findings.append(error("C.fixture-precision", msg, path, offence.line, offence.column))
    return findings


def fixture_limit(labels: dict[str, Any], label: str | None, spec: dict[str, Any]) -> int | None:
    """The stricter of the plan's precision and the label's fixture maximum, when either is set."""
    limits = [get(spec, "redaction", "precision_decimals")]
    if label in labels:
        limits.append(labels[label or ""].max_fixture_precision_decimals)
    found = [v for v in limits if isinstance(v, int) and not isinstance(v, bool)]
    return min(found) if found else None
