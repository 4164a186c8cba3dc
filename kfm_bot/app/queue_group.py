"""A merge group's members and what it lands: which PRs the queue put in it, and whether the
approvals each PR holds for its content still cover what the group's merge commit holds.

The queue names its entries in its temporary branches, `gh-readonly-queue/<base>/pr-<n>-<sha>`
(`sha`: the PR's head when it was queued). A group is one such branch; its members are the
entries whose branch tip lies between the group's base and head (git only, no API request), so
the PR list is never taken from commit messages, which PR authors write.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from kfm_bot.approvals.result import ApprovalResult

QUEUE_BRANCH = re.compile(
    r"^refs/heads/gh-readonly-queue/(?P<base>.+)/pr-(?P<number>[1-9][0-9]{0,9})-(?P<sha>[0-9a-f]{40})$"
)


@dataclass(frozen=True)
class Group:
    """The `merge_group` event's facts: the queue's merge commit and the base it lands on."""

    head_sha: str
    head_ref: str
    base_sha: str
    base_ref: str  # a branch name, without refs/heads/


@dataclass(frozen=True)
class Entry:
    """One queued PR: its number and the head commit it was queued with."""

    number: int
    sha: str


def parse_entry(ref: str, base_ref: str) -> Entry | None:
    """The entry a queue branch names, or None for anything else (another base, another shape)."""
    found = QUEUE_BRANCH.match(ref)
    if found is None or found["base"] != base_ref:
        return None
    return Entry(int(found["number"]), found["sha"])


# Commits walked on the group's first-parent line: GitHub builds groups of at most 100 PRs,
# and a rebase-merged PR adds one commit per commit it has.
MAX_GROUP_COMMITS = 5000


def members(workspace: Path, group: Group, queue_refs: Mapping[str, str]) -> list[Entry]:
    """The entries in the group, oldest first: queue branches whose tip is on the merge
    commit's first-parent line after the base (each entry's branch is built on the one before
    it, whatever the merge method). One `git log`."""
    from kfm_bot.git import read
    from kfm_bot.git.gitdir import GitDir

    line = read.first_parent_log_after(
        GitDir(workspace), group.head_sha, group.base_sha, MAX_GROUP_COMMITS
    )
    position = {sha: i for i, (sha, _, _) in enumerate(reversed(line))}
    found: dict[int, tuple[int, Entry]] = {}
    for ref, tip in queue_refs.items():
        entry = parse_entry(ref, group.base_ref)
        if entry is not None and tip in position:
            found[entry.number] = (position[tip], entry)
    return [e for _, e in sorted(found.values(), key=lambda pair: pair[0])]


@dataclass(frozen=True)
class Landing:
    """One member PR's units (datasets, `source:<id>`, `policies`) and their digests at its
    head and in the group's merge commit, and the spec_hash it gives each dataset."""

    number: int
    result: ApprovalResult
    at_head: Mapping[str, str]
    in_group: Mapping[str, str]
    spec_hashes: Mapping[str, str | None]

    @property
    def drifted(self) -> list[str]:
        """Units whose approved content is not what lands."""
        return sorted(u for u, d in self.at_head.items() if self.in_group.get(u) != d)


def landing(workspace: Path, group: Group, result: ApprovalResult) -> Landing:
    """Digests of the PR's approval units at its head and in the group; dataset spec_hashes."""
    from kfm_bot.approvals.digest import unit_digests
    from kfm_bot.approvals.units import POLICIES_UNIT, SOURCE_PREFIX
    from kfm_bot.canonical import spec_hash
    from kfm_bot.git.gitdir import GitDir
    from kfm_bot.repo.documents import DocumentStore
    from kfm_bot.repo.layout import spec_path
    from kfm_bot.repo.snapshot import CommitSnapshot

    repo = GitDir(workspace)
    head = CommitSnapshot(repo, result.head_sha)
    merged = CommitSnapshot(repo, group.head_sha)
    units = [u.unit for u in result.units]
    datasets = [u for u in units if u != POLICIES_UNIT and not u.startswith(SOURCE_PREFIX)]
    docs = DocumentStore(head)
    hashes: dict[str, str | None] = {}
    for slug in datasets:
        data = docs.data(spec_path(slug)) if head.entry(spec_path(slug)) is not None else None
        hashes[slug] = spec_hash(data) if data is not None else None
    return Landing(
        result.pr, result, unit_digests(head, units), unit_digests(merged, units), hashes
    )


def group_units(workspace: Path, group: Group) -> set[str]:
    """Every approval unit the group's merge commit changes from its base."""
    from kfm_bot.approvals.classify import classify_changes
    from kfm_bot.policy.policyset import load_policies
    from kfm_bot.repo.documents import DocumentStore
    from kfm_bot.repo.pull_trees import read_pull_trees

    trees = read_pull_trees(workspace, group.base_sha, group.head_sha)
    policies = load_policies(DocumentStore(trees.base))
    return set(classify_changes(trees.fork_point, trees.head, set(trees.changed), policies))


def conflicts(landings: Sequence[Landing]) -> list[tuple[str, int, int, str | None, str | None]]:
    """Pairs of PRs that give one dataset different content (spec_hash): (slug, a, b, ha, hb)."""
    out = []
    for i, first in enumerate(landings):
        for second in landings[i + 1 :]:
            for slug in sorted(first.spec_hashes.keys() & second.spec_hashes.keys()):
                a, b = first.spec_hashes[slug], second.spec_hashes[slug]
                same_files = first.at_head.get(slug) == second.at_head.get(slug)
                if a != b or not same_files:
                    out.append((slug, first.number, second.number, a, b))
    return out
