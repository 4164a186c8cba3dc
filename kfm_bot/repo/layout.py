"""Where each kind of document lives in the repository, and what a path means."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePosixPath

from kfm_bot.models.patterns import DATASET_SLUG_PATTERN, SOURCE_ID_PATTERN

SOURCES_DIR = "registry/sources"
PROMOTIONS_DIR = "registry/promotions"
LEDGER_PATH = "registry/ledger.jsonl"  # the live file: the newest lines, appended to
# Sealed segments of the ledger: immutable files `<first seq>-<last seq>.jsonl`, read before the
# live file. A promotion that would make the live file longer than LEDGER_LIVE_LINES moves it
# unchanged here first, so a promotion rewrites at most that many lines, however long the ledger.
LEDGER_SEGMENTS_DIR = "registry/ledger"
LEDGER_LIVE_LINES = 1000
SPECS_DIR = "specs"
POLICIES_DIR = "policies"
SPEC_FILE = "spec.yaml"

SOURCE_ID_RE = re.compile(SOURCE_ID_PATTERN)
DATASET_SLUG_RE = re.compile(DATASET_SLUG_PATTERN)

# Sub-folders a dataset directory may hold, besides spec.yaml itself.
DATASET_SUBDIRS = frozenset({"catalog", "receipts", "qa", "fixtures", "attestations"})


class Kind(StrEnum):
    SOURCE = "source"
    SPEC = "spec"
    DATASET_FILE = "dataset_file"  # catalog, receipt, QA report, fixture, attestation
    PROMOTION = "promotion"
    LEDGER = "ledger"
    POLICY = "policy"
    OTHER = "other"  # code, docs, workflows: not governed content


@dataclass(frozen=True, slots=True)
class PathInfo:
    kind: Kind
    source_id: str | None = None
    dataset_slug: str | None = None
    expected: bool = True  # False: under a governed folder but outside its patterns


def source_path(source_id: str) -> str:
    return f"{SOURCES_DIR}/{source_id}.yaml"


def ledger_segment_path(first: int, last: int) -> str:
    """A sealed segment holding ledger lines `first`..`last` (zero-padded: names sort in order)."""
    return f"{LEDGER_SEGMENTS_DIR}/{first:08d}-{last:08d}.jsonl"


def spec_path(slug: str) -> str:
    return f"{SPECS_DIR}/{slug}/{SPEC_FILE}"


def classify(path: str) -> PathInfo:
    """What a repository path is. Plain string work: it runs for every path of the tree."""
    if path == LEDGER_PATH or path.startswith(LEDGER_SEGMENTS_DIR + "/"):
        return PathInfo(Kind.LEDGER)
    parts = path.split("/")
    top = parts[0]
    if top == "registry":
        if len(parts) > 2 and parts[1] == "promotions":
            return PathInfo(Kind.PROMOTION)
        if len(parts) > 2 and parts[1] == "sources":
            ok = len(parts) == 3 and parts[2].endswith(".yaml")
            return PathInfo(Kind.SOURCE, source_id=parts[-1].removesuffix(".yaml"), expected=ok)
        return PathInfo(Kind.OTHER, expected=path == "registry/README.md")
    if top == SPECS_DIR:
        if len(parts) == 3:
            return PathInfo(Kind.SPEC, dataset_slug=parts[1], expected=parts[2] == SPEC_FILE)
        if len(parts) > 3:
            ok = parts[2] in DATASET_SUBDIRS
            return PathInfo(Kind.DATASET_FILE, dataset_slug=parts[1], expected=ok)
        return PathInfo(Kind.OTHER, expected=path == "specs/README.md")
    if top == POLICIES_DIR and len(parts) > 1:
        return PathInfo(Kind.POLICY)
    return PathInfo(Kind.OTHER)


def resolve_relative(base_dir: str, ref: str) -> str | None:
    """Join a document-relative path; None when it is absolute or climbs out of base_dir."""
    if not ref or ref.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", ref) or "\\" in ref:
        return None
    pure = PurePosixPath(ref)
    if any(part in ("..", "") for part in pure.parts) or "://" in ref:
        return None
    return str(PurePosixPath(base_dir) / pure)
