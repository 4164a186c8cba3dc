"""Gate C's fixture check: fixtures of sensitive data carry only coarse coordinates, in any format.

Each fixture is decoded and handed to the scanner of its format (`fixture_formats/`). A
fixture no scanner can read (unknown extension, binary, not UTF-8, malformed, too large)
fails closed: in a dataset whose fixtures are checked at all, not inspecting is never a pass.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from kfm_bot.findings import Finding, error
from kfm_bot.gates.c_sensitivity.fixture_formats import Uninspectable, delimited, json_text, wkt
from kfm_bot.gates.c_sensitivity.precision import MAX_COUNTED, Enough, LineIndex, Offence, Tally
from kfm_bot.gates.engine.context import GateContext
from kfm_bot.gates.engine.reading import dataset_dir, get
from kfm_bot.repo.snapshot import under

if TYPE_CHECKING:
    from kfm_bot.models.policies import LabelRule

MAX_FIXTURE_BYTES = 8 * 1024 * 1024
MAX_DATASET_FIXTURE_BYTES = 32 * 1024 * 1024  # bounds the work on one dataset's fixtures
MAX_FINDINGS_PER_FILE = 3
PRECISION, UNINSPECTABLE = "C.fixture-precision", "C.fixture-uninspectable"
NO_LIMIT = 10**9  # no precision is set: the scan still runs, for what it cannot read
_BINARY = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")  # control bytes text never holds

Scanner = Callable[[str, Tally], None]
SCANNERS: dict[str, Scanner] = {
    ".json": json_text.scan,
    ".geojson": json_text.scan,
    ".jsonl": lambda text, tally: json_text.scan(text, tally, lines=True),
    ".ndjson": lambda text, tally: json_text.scan(text, tally, lines=True),
    ".geojsonl": lambda text, tally: json_text.scan(text, tally, lines=True),
    ".csv": lambda text, tally: delimited.scan(text, tally, tab=False),
    ".tsv": lambda text, tally: delimited.scan(text, tally, tab=True),
    ".wkt": lambda text, tally: wkt.scan_file(text, tally, LineIndex(text).at),
}
INSPECTABLE = ", ".join(sorted(SCANNERS))


def fixture_paths(ctx: GateContext, slug: str) -> list[str]:
    prefix = f"{dataset_dir(slug)}/fixtures/"
    return under(ctx.head, prefix)


def check_fixtures(ctx: GateContext, slug: str, limit: int | None) -> list[Finding]:
    """Every fixture of a dataset whose fixtures must be safe; `limit`: decimals allowed."""
    findings: list[Finding] = []
    budget = MAX_DATASET_FIXTURE_BYTES
    for path in fixture_paths(ctx, slug):
        entry = ctx.head.entry(path)
        if entry is None or not entry.is_regular:
            continue  # symlinks and submodules are gate A's finding
        scanner = SCANNERS.get(_suffix(path))
        try:
            if scanner is None:  # refused unread
                raise Uninspectable("its format is not one the bot can inspect for coordinates")
            raw = ctx.head.read(path, min(MAX_FIXTURE_BYTES, budget) + 1)
            budget -= len(raw)
            findings += _check_file(path, scanner, raw, limit, budget)
        except Uninspectable as exc:
            findings.append(_uninspectable(path, exc))
    return findings


def _check_file(
    path: str, scanner: Scanner, raw: bytes, limit: int | None, budget: int
) -> list[Finding]:
    if len(raw) > MAX_FIXTURE_BYTES:
        raise Uninspectable(f"it is larger than {MAX_FIXTURE_BYTES} bytes; keep fixtures small")
    if budget < 0:
        raise Uninspectable(
            f"the dataset's fixtures together exceed {MAX_DATASET_FIXTURE_BYTES} bytes"
        )
    tally = Tally(NO_LIMIT if limit is None else limit, MAX_FINDINGS_PER_FILE)
    with contextlib.suppress(Enough):  # the file fails; counting further only costs time
        scanner(_decoded(raw), tally)
    return [_precise(path, n, o, tally.total, tally.limit) for n, o in enumerate(tally.found)]


def _suffix(path: str) -> str:
    name = path.rsplit("/", 1)[-1].lower()
    return "." + name.rsplit(".", 1)[-1] if "." in name.lstrip(".") else ""


def _decoded(raw: bytes) -> str:
    """The fixture's text: UTF-8 (a BOM is dropped), with no byte a text file never holds."""
    binary = _BINARY.search(raw)
    if binary is not None:
        line = raw.count(b"\n", 0, binary.start()) + 1
        raise Uninspectable("it holds binary data (control bytes)", line)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise Uninspectable("it is not UTF-8 text", line) from None
    return text.removeprefix("\ufeff")


def _precise(path: str, n: int, offence: Offence, total: int, limit: int) -> Finding:
    count = f"{total} or more" if total >= MAX_COUNTED else str(total)
    more = f" ({count} such numbers in this file)" if n == 0 and total > 1 else ""
    msg = (
        f"{offence.what} here has {offence.decimals} decimal places, more than the "
        f"{limit} allowed{more}; round every coordinate to {limit} decimal places "
        "(value not shown: it may be a protected location)"
    )
    return error(PRECISION, msg, path, offence.line, offence.column)


def _uninspectable(path: str, exc: Uninspectable) -> Finding:
    msg = (
        f"this fixture cannot be inspected for protected coordinates: {exc.reason}. Fixtures "
        f"of restricted or sensitive-location data must be one of {INSPECTABLE} (UTF-8 text)"
    )
    return error(UNINSPECTABLE, msg, path, exc.line, exc.column)


def fixture_limit(
    labels: Mapping[str, LabelRule], label: str | None, spec: Mapping[str, object]
) -> int | None:
    """The stricter of the plan's precision and the label's fixture maximum, when either is set."""
    limits = [get(spec, "redaction", "precision_decimals")]
    if label in labels:
        limits.append(labels[label or ""].max_fixture_precision_decimals)
    found = [v for v in limits if isinstance(v, int) and not isinstance(v, bool)]
    return min(found) if found else None
