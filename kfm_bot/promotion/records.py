"""Cross-checks between the ledger and the promotion records it indexes."""

from __future__ import annotations

from kfm_bot.findings import Finding, error
from kfm_bot.promotion.ledger import Ledger, verify
from kfm_bot.repo.layout import LEDGER_PATH, PROMOTIONS_DIR
from kfm_bot.repo.snapshot import Snapshot

MANIFEST = "promotion_manifest.json"


def manifest_path(slug: str, version: str) -> str:
    return f"{PROMOTIONS_DIR}/{slug}/{version}/{MANIFEST}"


def verify_repository(snapshot: Snapshot) -> list[Finding]:
    """The chain, plus: every entry's manifest exists with its digest, every manifest has one entry.

    The cross-check catches what a chain alone cannot: an edited or dropped *last* line.
    """
    entry = snapshot.entry(LEDGER_PATH)
    raw = snapshot.read(LEDGER_PATH) if entry is not None and entry.is_regular else b""
    findings = verify(raw)
    if findings:
        return findings
    ledger = Ledger.parse(raw)
    recorded: set[str] = set()
    for number, item in enumerate(ledger.entries(), start=1):
        path = manifest_path(item["dataset_slug"], item["dataset_version_id"])
        recorded.add(path)
        if snapshot.entry(path) is None:
            findings.append(
                error(
                    "A.ledger-record",
                    f"line {number} names {path}, which is missing",
                    LEDGER_PATH,
                    number,
                    1,
                )
            )
        elif snapshot.digest(path) != item["manifest_digest"]:
            findings.append(
                error(
                    "A.ledger-record",
                    f"line {number}: {path} does not match the "
                    "manifest_digest recorded here; the manifest or this line was "
                    "edited",
                    LEDGER_PATH,
                    number,
                    1,
                )
            )
    for path in sorted(snapshot.paths()):
        if (
            path.startswith(PROMOTIONS_DIR + "/")
            and path.endswith("/" + MANIFEST)
            and path not in recorded
        ):
            findings.append(
                error(
                    "A.ledger-record",
                    f"{path} has no ledger line: the ledger's "
                    "last line was dropped, or the manifest was added by hand",
                    path,
                )
            )
    return findings
