"""Anchors of the ledger outside its own file: promotion commit trailers and release tag messages.

A promotion that appends line `n` of `registry/ledger.jsonl` writes, in its commit's trailer
and in its tag's message, `<n> sha256:<hex>`: the line number and the sha256 of that line's
exact bytes (the canonical JSON, without the newline). Git history is not the file, so a
forger who edits, drops, swaps or re-chains lines cannot make them agree with it again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kfm_bot.canonical import sha256_digest
from kfm_bot.git import read
from kfm_bot.repo.layout import LEDGER_PATH
from kfm_bot.repo.snapshot import CommitSnapshot, Snapshot, WorkTreeSnapshot

if TYPE_CHECKING:
    from kfm_bot.git.gitdir import GitDir

COMMIT_TRAILER = "Kfm-Ledger-Line"  # in the promotion commit's message
TAG_FIELD = "Ledger-Line"  # in the annotated tag's message
PROMOTION_TRAILER = "Kfm-Promotion"
MANIFEST_TRAILER = "Kfm-Manifest-Digest"
_VALUE = re.compile(r"^([1-9][0-9]{0,15}) (sha256:[0-9a-f]{64})$")
_FIELD = re.compile(r"^([A-Za-z][A-Za-z0-9-]*): ?(.*)$")


def anchor_value(seq: int, line: bytes) -> str:
    """`<seq> sha256:<hex of the exact line bytes, without the newline>`."""
    return f"{seq} {sha256_digest(line)}"


@dataclass(frozen=True)
class Anchor:
    seq: int
    digest: str
    where: str  # "promotion commit 1a2b3c4d5e6f" or "tag <slug>/<version>"
    tag: str | None  # the release tag of the promotion that appended the line


@dataclass
class Anchors:
    by_seq: dict[int, list[Anchor]] = field(default_factory=dict)
    # Promotion commits made before anchors existed: tag -> manifest digest trailer (or None).
    legacy: dict[str, str | None] = field(default_factory=dict)
    malformed: list[str] = field(default_factory=list)  # anchors that do not parse: forged
    rev: str = ""
    shallow: bool = False

    def add(self, anchor: Anchor) -> None:
        self.by_seq.setdefault(anchor.seq, []).append(anchor)

    @property
    def last_seq(self) -> int:
        return max(self.by_seq, default=0)


def history_of(snapshot: Snapshot) -> tuple[GitDir, str] | None:
    """The repository and revision whose history anchors this snapshot's ledger, if any."""
    if isinstance(snapshot, CommitSnapshot | WorkTreeSnapshot):
        return snapshot.repo, snapshot.rev
    return None


def collect(repo: GitDir, rev: str) -> Anchors:
    """Every anchor in `rev`'s history: one `git log` and one `git for-each-ref`, any length."""
    anchors = Anchors(rev=rev, shallow=read.is_shallow(repo))
    sha = read.peel(repo, rev)
    if sha is None:
        return anchors  # no commit yet: nothing was ever promoted here
    # Only commits that changed the ledger: a message is anyone's to write (a rebase merge puts
    # a contributor's commits on the first-parent line), but gate A refuses any PR that edits
    # the ledger, so only promotions change it.
    grep = f"{PROMOTION_TRAILER}: "
    for commit, message in read.first_parent_messages(repo, sha, grep, LEDGER_PATH):
        fields = trailers(message)
        tag = fields.get(PROMOTION_TRAILER)
        if tag is None:
            continue  # the words appear in the message, not in its trailer block
        value = fields.get(COMMIT_TRAILER)
        parsed = _VALUE.match(value or "")
        if parsed:
            where = f"promotion commit {commit[:12]} ({tag})"
            anchors.add(Anchor(int(parsed[1]), parsed[2], where, tag))
        elif value is None:
            anchors.legacy[tag] = fields.get(MANIFEST_TRAILER)
        else:
            anchors.malformed.append(f"promotion commit {commit[:12]} ({tag})")
    for name, message in read.annotated_tags(repo, sha):
        value = trailers(message).get(TAG_FIELD)
        parsed = _VALUE.match(value or "")
        if parsed:
            anchors.add(Anchor(int(parsed[1]), parsed[2], f"tag {name}", name))
        elif value is not None:
            anchors.malformed.append(f"tag {name}")
    return anchors


def trailers(message: str) -> dict[str, str]:
    """`Key: value` lines of the message's last paragraph (git's trailer block); first wins."""
    paragraphs = [p for p in message.strip().split("\n\n") if p.strip()]
    found: dict[str, str] = {}
    for line in paragraphs[-1].splitlines() if paragraphs else []:
        match = _FIELD.match(line.strip())
        if match:
            found.setdefault(match[1], match[2].strip())
    return found
