"""Each ledger line against the anchors its promotion left in git: edits, drops, swaps, re-chains.

Line `n` must hash to what the commit and tag that appended it recorded. A line with no anchor
of its own is accepted in two cases only, both from before anchors existed (DESIGN section 5):
it lies before an anchored line (the hash chain into that line fixes its bytes), or it is the
tail of a legacy ledger and a legacy promotion commit names its release tag (and, when that
commit carries one, the same manifest digest). Anything else at the tail was added by hand.
"""

from __future__ import annotations

import json

from kfm_bot.canonical import sha256_digest
from kfm_bot.findings import Finding, error
from kfm_bot.ledger.anchors import Anchor, Anchors
from kfm_bot.repo.layout import LEDGER_PATH

ANCHOR = "A.ledger-anchor"
UNANCHORED = "A.ledger-unanchored"


def check(lines: tuple[bytes, ...], anchors: Anchors, path: str = LEDGER_PATH) -> list[Finding]:
    findings = [_malformed(where, path) for where in anchors.malformed]
    findings += [
        _conflict(seq, group, path)
        for seq, group in sorted(anchors.by_seq.items())
        if len({a.digest for a in group}) > 1
    ]
    recorded: dict[str, Anchor] = {}
    by_tag: dict[str, Anchor] = {}
    for group in anchors.by_seq.values():
        for a in group:  # commits come before tags: messages name the commit first
            recorded.setdefault(a.digest, a)
            by_tag.setdefault(a.tag or "", a)
    for number, line in enumerate(lines, start=1):
        expected = anchors.by_seq.get(number)
        digest = sha256_digest(line)
        if expected is None:
            if number > anchors.last_seq:
                findings += _tail(number, line, anchors, path)
        elif digest not in {a.digest for a in expected}:
            message = _mismatch(number, line, expected[0], recorded.get(digest), by_tag)
            findings.append(error(ANCHOR, message, path, number, 1))
    for seq in sorted(s for s in anchors.by_seq if s > len(lines)):
        msg = (
            f"line {seq} is missing: {anchors.by_seq[seq][0].where} appended it; lines were "
            "dropped or the file was cut; restore the ledger from the default branch"
        )
        findings.append(error(ANCHOR, msg, path, seq, 1))
    return findings


def _mismatch(
    number: int, line: bytes, anchor: Anchor, moved: Anchor | None, by_tag: dict[str, Anchor]
) -> str:
    if moved is not None:
        return (
            f"line {number} is the line that {moved.where} appended as line {moved.seq}: "
            "lines were dropped, swapped or inserted before it"
        )
    tag = _tag(line)
    other = by_tag.get(tag) if tag is not None else None
    if tag is not None and tag == anchor.tag:
        return (
            f"line {number} was edited: its sha256 differs from the one {anchor.where} recorded "
            "for it (any edited field, or a chain recomputed after an edit above, changes it)"
        )
    if other is not None:
        return (
            f"line {number} holds the promotion of {tag}, which {other.where} recorded as line "
            f"{other.seq}, not the line {anchor.where} appended: lines were dropped or swapped "
            "and the chain recomputed"
        )
    return (
        f"line {number} does not match {anchor.where}, which appended it: the line was "
        "edited or replaced and the chain recomputed"
    )


def _tail(number: int, line: bytes, anchors: Anchors, path: str) -> list[Finding]:
    tag = _tag(line)
    if tag is not None and tag in anchors.legacy:
        recorded = anchors.legacy[tag]
        if recorded is None or recorded == _field(line, "manifest_digest"):
            return []
        msg = (
            f"line {number} records another manifest_digest than the one its promotion commit "
            f"for {tag} carries: the line was edited"
        )
        return [error(ANCHOR, msg, path, number, 1)]
    hint = (
        "; this clone is shallow: run `git fetch --unshallow --tags` and verify again"
        if anchors.shallow
        else ""
    )
    rev = anchors.rev[:12] if len(anchors.rev) == 40 else anchors.rev
    msg = (
        f"line {number} is anchored nowhere: in the history of {rev} no commit carries its "
        f"promotion trailer and no tag records it, so it was added by hand{hint}"
    )
    return [error(UNANCHORED, msg, path, number, 1)]


def _malformed(where: str, path: str) -> Finding:
    msg = f"{where} carries a ledger anchor that is not `<line> sha256:<hex>`: it was edited"
    return error(ANCHOR, msg, path)


def _conflict(seq: int, group: list[Anchor], path: str) -> Finding:
    names = ", ".join(f"{a.where} ({a.digest[:19]}…)" for a in group)
    msg = f"line {seq} has anchors that disagree: {names}; one of them was forged or moved"
    return error(ANCHOR, msg, path, seq, 1)


def _tag(line: bytes) -> str | None:
    slug, version = _field(line, "dataset_slug"), _field(line, "dataset_version_id")
    return f"{slug}/{version}" if slug and version else None


def _field(line: bytes, name: str) -> str | None:
    try:
        value = json.loads(line).get(name)
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None
