"""Puts a prepared promotion on the default branch: one commit and its annotated tag, pushed
together (atomically) when landing on a remote.

Every step is idempotent: the commit and the tag are deterministic objects, so a run that
was killed at any point, or a second run racing this one, converges on the same result.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kfm_bot.errors import GateFailure, ServiceError
from kfm_bot.git import read, write
from kfm_bot.ledger.anchors import COMMIT_TRAILER, anchor_value
from kfm_bot.ledger.chain import Ledger
from kfm_bot.ledger.segments import read_ledger, written
from kfm_bot.models.ledger import LedgerRecord
from kfm_bot.promotion.documents import rfc3339
from kfm_bot.promotion.prepare import DECISION, Prepared
from kfm_bot.repo.snapshot import CommitSnapshot

if TYPE_CHECKING:
    from kfm_bot.attest.sign import Attestor
    from kfm_bot.git.gitdir import GitDir

MAX_PUSH_ATTEMPTS = 6

# (promotion commit, its ledger entry) -> the refspec of the release tag, made locally: pushed
# with the commit in one atomic push
TagMaker = Callable[[str, LedgerRecord], str]


@dataclass
class Target:
    """Where promotions land: a remote branch (`--push`) or a local one."""

    repo: GitDir
    branch: str
    remote: str | None
    _ledgers: dict[str, Ledger] = field(default_factory=dict, init=False, repr=False)
    _tags: dict[str, str] | None = field(default=None, init=False, repr=False)

    def tip(self) -> str:
        """The branch's commit on the remote (fetched only when not already here)."""
        if self.remote is None:
            return read.resolve(self.repo, f"refs/heads/{self.branch}")
        write.unshallow(self.repo, self.remote)
        head = f"refs/heads/{self.branch}"
        # One listing of the remote's branches and tags: the tip, and on the first call the
        # tags this run's tag checks use (published_tags), in one round trip.
        kinds = ("heads",) if self._tags is not None else ("heads", "tags")
        refs = write.remote_refs(self.repo, self.remote, kinds=kinds)
        if self._tags is None:
            self._tags = {ref: sha for ref, sha in refs.items() if ref.startswith("refs/tags/")}
        remote_tip = refs.get(head)
        if remote_tip is None or not write.track(self.repo, self.tracking, remote_tip):
            write.fetch(self.repo, self.remote, f"+{head}:{self.tracking}")
        return read.resolve(self.repo, self.tracking)

    def remote_tags(self) -> dict[str, str]:
        """The remote's `refs/tags/*` as the run's first `tip()` listed them (peeled tags as
        `<tag>^{}`)."""
        if self._tags is None:
            self.tip()
        assert self._tags is not None
        return self._tags

    @property
    def tracking(self) -> str:
        return f"refs/remotes/{self.remote}/{self.branch}"

    def advance_local(self, old: str, new: str) -> None:
        """Move the local branch; fast-forward the working tree when it is checked out."""
        if read.head_ref(self.repo) == f"refs/heads/{self.branch}":
            write.fast_forward(self.repo, new)
        else:
            write.update_ref(self.repo, f"refs/heads/{self.branch}", new, old)

    def remember(self, commit: str, ledger: Ledger) -> None:
        """The ledger this run wrote in `commit`: not read back from git."""
        self._ledgers[commit] = ledger

    def ledger(self, commit: str) -> Ledger:
        """The ledger at `commit`: read and parsed once per commit however often asked for."""
        if commit not in self._ledgers:
            self._ledgers[commit] = read_ledger(CommitSnapshot(self.repo, commit))
        return self._ledgers[commit]


def ledger_fields(p: Prepared) -> dict[str, object]:
    g = p.candidate.group
    assert g.pull is not None  # prepare() refuses merges without a pull request
    return {
        "event": "promotion",
        "dataset_slug": p.candidate.slug,
        "dataset_version_id": p.version,
        "spec_hash": p.candidate.spec_hash,
        "manifest_digest": p.manifest_digest,
        "decision_id": p.decision_id,
        "pr_number": g.pull.number,
        "merge_commit": g.end,
        "actor": write.Identity.bot().name,
        "recorded_at": rfc3339(p.epoch),
    }


def commit_message(p: Prepared, ledger: Ledger) -> str:
    """`ledger` ends with the line this commit appends; its trailer anchors that line in git."""
    g = p.candidate.group
    number = g.pull.number if g.pull else 0
    return (
        f"Promote {p.candidate.slug} {p.version} (PR #{number})\n\n"
        f"Dataset {p.candidate.slug}, version {p.version}, spec_hash {p.candidate.spec_hash},\n"
        f"merged in PR #{number} as {g.end}.\n\n"
        f"Kfm-Promotion: {p.tag}\n"
        f"Kfm-Manifest-Digest: {p.manifest_digest}\n"
        f"{COMMIT_TRAILER}: {anchor_value(len(ledger.lines), ledger.lines[-1])}\n"
    )


def land_commit(
    target: Target,
    p: Prepared,
    tip: str,
    tag: TagMaker | None = None,
    attestor: Attestor | None = None,
) -> tuple[str, str, bool]:
    """(the promotion commit, the branch's tip after it, whether its tag was pushed with it):
    the commit is made on `tip`, the branch as last fetched, and regenerated on a fresh fetch
    whenever the branch moved.

    With a remote and `tag`, the release tag is made before the push and goes with the commit
    in one atomic push: both land or neither (a run killed before it leaves nothing on the
    remote; the next run makes the same commit and tag), in one transfer instead of two."""
    rejected = ""  # the parent of the last commit the remote refused
    for attempt in range(MAX_PUSH_ATTEMPTS):
        parent = tip if attempt == 0 else target.tip()
        if tag is not None and parent == rejected:  # not a moved branch: the tag was refused
            raise GateFailure(
                f"the remote refused the release tag of {p.tag} while {target.branch} did not "
                "move: the tag is taken; tags are never moved: investigate and remove it by "
                "hand, then re-run"
            )
        ledger = target.ledger(parent)
        if ledger.find(p.candidate.slug, p.version) is not None:
            found = find_promotion_commit(target.repo, parent, p.tag, p.candidate.group.end)
            return found, parent, False  # landed by another run: its tag is checked later
        new_ledger, entry = ledger.append(ledger_fields(p))
        files = {**p.files, **written(ledger, new_ledger)}  # the live file (a sealed segment)
        if attestor is not None:  # the statement names the ledger line, so it is made per attempt
            files.update([statement_file(attestor, p, new_ledger)])
        tree = write.write_tree(target.repo, parent, files)
        identity = write.Identity.bot()
        sha = write.commit_tree(
            target.repo, tree, parent, commit_message(p, new_ledger), identity, p.epoch
        )
        target.remember(sha, new_ledger)  # what the tags and releases of this run read next
        if target.remote is None:
            target.advance_local(parent, sha)
            return sha, sha, False
        refspecs = [f"{sha}:refs/heads/{target.branch}"]
        if tag is not None:
            refspecs.append(tag(sha, entry))
        if write.push(target.repo, target.remote, *refspecs):
            return sha, sha, tag is not None
        rejected = parent
        time.sleep(min(2.0, 0.05 * 2**attempt) * (0.5 + random.random()))  # noqa: S311
    raise ServiceError(
        f"{target.branch} kept moving: gave up after {MAX_PUSH_ATTEMPTS} attempts; "
        "the next run finishes the promotion"
    )


def statement_file(attestor: Attestor, p: Prepared, ledger: Ledger) -> tuple[str, bytes]:
    """The signed (or unsigned) promotion statement beside the manifest: DESIGN section 7."""
    decision = p.files[p.manifest_path.rsplit("/", 1)[0] + "/" + DECISION]
    manifest = p.files[p.manifest_path]
    return attestor.statement_file(
        p.manifest_path, manifest, decision, ledger.lines[-1], len(ledger.lines)
    )


def find_promotion_commit(repo: GitDir, tip: str, tag: str, merge: str | None = None) -> str:
    """The oldest commit on `tip`'s first-parent line whose trailer names `tag`; the walk stops
    at `merge`, the promoted merge, when it is known (a promotion always follows its merge)."""
    trailer = f"Kfm-Promotion: {tag}"
    out = [
        sha
        for sha, message in read.first_parent_grep_after(repo, tip, merge, trailer)
        if trailer in (line.strip() for line in message.splitlines())
    ]
    if not out:
        raise GateFailure(f"the ledger records {tag} but no commit carries its promotion trailer")
    return out[-1]
