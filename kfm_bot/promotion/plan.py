"""Which dataset versions to promote: every spec_hash a merge introduced since the last promotion.

Cumulative on purpose: GitHub cancels a queued run when a newer one arrives, so one run
must also finish what a cancelled run would have done, in merge order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from kfm_bot.git import read
from kfm_bot.ledger.chain import Ledger
from kfm_bot.repo.documents import DocumentStore
from kfm_bot.repo.layout import SPEC_FILE, SPECS_DIR
from kfm_bot.repo.snapshot import CommitSnapshot

if TYPE_CHECKING:
    from kfm_bot.git.gitdir import GitDir

MAX_WALK = 1000  # first-parent commits examined at most, when no promotion bounds the walk
PROMOTION_TRAILER = "Kfm-Promotion:"


@dataclass(frozen=True)
class PullRef:
    number: int
    head_sha: str
    base_sha: str
    author: str


@dataclass(frozen=True)
class MergeGroup:
    """The first-parent commits one pull request put on the default branch (one, unless rebased)."""

    base: str
    end: str
    pull: PullRef | None


@dataclass(frozen=True)
class Candidate:
    slug: str
    spec_hash: str
    group: MergeGroup


class PullFinder(Protocol):
    def merged_pull(self, commit_sha: str) -> PullRef | None: ...


def walk(repo: GitDir, tip: str, ledger: Ledger) -> list[str]:
    """First-parent commits after the last promoted merge, oldest first; bot commits skipped."""
    last = ledger.last()
    boundary = str(last["merge_commit"]) if last else None
    commits: list[str] = []
    for sha, parents, body in read.first_parent_log_after(repo, tip, boundary, MAX_WALK):
        if sha == boundary:
            break
        if not parents.strip() or PROMOTION_TRAILER in body:
            continue  # the root commit (pre-existing content) and our own promotion commits
        commits.append(sha)
    return commits[::-1]


def group(repo: GitDir, commits: list[str], finder: PullFinder) -> list[MergeGroup]:
    groups: list[MergeGroup] = []
    for sha in commits:
        pull = finder.merged_pull(sha)
        parent = read.first_parent(repo, sha)
        last = groups[-1] if groups else None
        if last and pull and last.pull and last.pull.number == pull.number and last.end == parent:
            groups[-1] = MergeGroup(last.base, sha, pull)  # a rebase merge: several commits
        else:
            groups.append(MergeGroup(parent, sha, pull))
    return groups


_SNAPSHOTS: dict[tuple[str, str], CommitSnapshot] = {}
_KEPT = 4  # a run reads the base and end of one merge at a time: the last few are kept


def commit_snapshot(repo: GitDir, commit: str) -> CommitSnapshot:
    """The commit's files, listed once per run however many steps read them (planning, the
    gates, the documents): each listing of a tree with 10,000 manifests costs ~70 ms."""
    key = (str(repo.path), commit)
    if key not in _SNAPSHOTS:
        while len(_SNAPSHOTS) >= _KEPT:
            del _SNAPSHOTS[next(iter(_SNAPSHOTS))]
        _SNAPSHOTS[key] = CommitSnapshot(repo, commit)
    return _SNAPSHOTS[key]


def _spec_hashes(repo: GitDir, commit: str, slugs: set[str]) -> dict[str, str]:
    from kfm_bot.canonical import spec_hash

    docs = DocumentStore(commit_snapshot(repo, commit))
    hashes: dict[str, str] = {}
    for slug in slugs:
        data = docs.data(f"{SPECS_DIR}/{slug}/{SPEC_FILE}")
        if data is not None:
            hashes[slug] = spec_hash(data)
    return hashes


def candidates(repo: GitDir, groups: list[MergeGroup], ledger: Ledger) -> list[Candidate]:
    found: list[Candidate] = []
    taken: set[tuple[str, str]] = set()  # found by this run (the ledger holds earlier ones)
    for g in groups:
        changed = {
            c.path.split("/")[1]
            for c in read.diff(repo, g.base, g.end)
            if c.path.startswith(SPECS_DIR + "/")
            and c.path.endswith("/" + SPEC_FILE)
            and c.status != "D"
            and c.path.count("/") == 2
        }
        before, after = _spec_hashes(repo, g.base, changed), _spec_hashes(repo, g.end, changed)
        for slug in sorted(changed):
            digest = after.get(slug)
            if not digest or digest == before.get(slug) or (slug, digest) in taken:
                continue
            if not ledger.has(slug, digest):
                found.append(Candidate(slug, digest, g))
                taken.add((slug, digest))
    return found
