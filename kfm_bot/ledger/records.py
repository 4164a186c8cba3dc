"""Cross-checks between the ledger and the promotion records it indexes."""

from __future__ import annotations

import json
from typing import Any

from kfm_bot.findings import Finding, error
from kfm_bot.ledger import anchor_check, anchors, segments
from kfm_bot.ledger.chain import Ledger, verify_files
from kfm_bot.repo.layout import LEDGER_PATH, PROMOTIONS_DIR
from kfm_bot.repo.snapshot import Snapshot

MANIFEST = "promotion_manifest.json"


def manifest_path(slug: str, version: str) -> str:
    return f"{PROMOTIONS_DIR}/{slug}/{version}/{MANIFEST}"


def verify_repository(snapshot: Snapshot) -> list[Finding]:
    """`verified`'s findings."""
    return verified(snapshot)[1]


def verified(snapshot: Snapshot) -> tuple[Ledger, list[Finding]]:
    """The ledger of `snapshot`, read once, and its findings: the chain across the ledger's
    files (sealed segments, then the live file); every line against its anchors in git (when
    the snapshot has a history); every entry's manifest exists with its digest, and every
    manifest has one entry.

    The anchors catch what a chain alone cannot: an edited or dropped *last* line, and a file
    rewritten with its chain recomputed. Each git read is one call for the whole ledger.
    """
    parts = segments.files(snapshot)
    findings = verify_files([(f.path, f.raw) for f in parts])
    findings += segments.check_names(parts)
    ledger = segments.ledger_of(parts)
    history = anchors.history_of(snapshot)
    located = []  # at line n of the whole ledger, until `locate` finds the file holding it
    if history is not None:
        located += anchor_check.check(ledger.lines, anchors.collect(*history))
    located += _manifests(snapshot, ledger)
    findings += segments.locate(located, parts)
    return ledger, sorted(findings, key=lambda f: (f.line or 0, f.rule))


def _manifests(snapshot: Snapshot, ledger: Ledger) -> list[Finding]:
    findings: list[Finding] = []
    recorded: set[str] = set()
    for number, item in _parsed(ledger):
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


def _parsed(ledger: Ledger) -> list[tuple[int, dict[str, Any]]]:
    """Lines that name a dataset version (the chain check reports the others)."""
    found = []
    for number, line in enumerate(ledger.lines, start=1):
        try:
            item = json.loads(line)
        except ValueError:
            continue
        if isinstance(item, dict) and all(
            isinstance(item.get(k), str)
            for k in ("dataset_slug", "dataset_version_id", "manifest_digest")
        ):
            found.append((number, item))
    return found
