"""The promotion host of an offline dry run: a local clone, no GitHub, nothing written.

`kfm-bot promote --dry-run` without GITHUB_TOKEN/GITHUB_REPOSITORY (or with `--approvals FILE`)
uses this host. The merged pull request is read from the merge commit's message, as GitHub
writes it; approvals are either reported as not checked, or read from the file and checked
against the base commit's roster and requirements as the real path checks reviews: a principal
must be that steward (by id and login), hold the role, the role must be one the dataset's
change needs, and one person fills one slot. What only GitHub knows (holds, who pushed
commits to the PR, review freshness) cannot be checked offline; the run says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from kfm_bot.errors import UsageError
from kfm_bot.git import read
from kfm_bot.models.manifest import principal_string
from kfm_bot.promotion.approvals_file import FileApproval
from kfm_bot.promotion.documents import ApprovalRecord
from kfm_bot.promotion.plan import Candidate, PullRef
from kfm_bot.promotion.prepare import ApprovalVerdict, WantedRelease

if TYPE_CHECKING:
    from kfm_bot.git.gitdir import GitDir
    from kfm_bot.models.policies import Steward

# GitHub's own merge messages: a merge commit, and a squash merge's subject.
_MERGED = re.compile(r"\AMerge pull request #([1-9][0-9]{0,9}) from ")
_SQUASHED = re.compile(r"\(#([1-9][0-9]{0,9})\)\s*\Z")
NOT_CHECKED = (
    "approvals were NOT checked (offline dry run): the manifests below list none; "
    "pass --approvals FILE to check a list of approvals"
)
CANNOT_CHECK = "holds, PR contributors and review freshness need GitHub and were not checked"


class OfflinePromotionHost:
    def __init__(
        self, repo: GitDir, approvals: Sequence[FileApproval] | None, say: Callable[[str], None]
    ) -> None:
        self.repo = repo
        self.file = approvals
        self.say = say

    def merged_pull(self, commit_sha: str) -> PullRef | None:
        """The PR named by GitHub's merge message (`Merge pull request #N …` or `… (#N)`)."""
        subject, parents, author = read.commit_summary(self.repo, commit_sha)
        found = _MERGED.match(subject) or _SQUASHED.search(subject)
        if found is None:
            self.say(
                f"  commit {commit_sha[:12]} names no pull request in its message "
                "(offline, `Merge pull request #N` or `(#N)` is how a merge is recognised)"
            )
            return None
        first, *rest = parents.split()
        head = rest[-1] if rest else commit_sha
        return PullRef(int(found.group(1)), head, first, author.strip())

    def approvals(self, repo: GitDir, candidate: Candidate) -> ApprovalVerdict:
        if self.file is None:
            self.say(f"  {candidate.slug}: approvals NOT checked (offline, no --approvals)")
            return ApprovalVerdict(True)
        verdict = check_file_approvals(repo, candidate, self.file)
        for line in verdict.notes:
            self.say(f"  {candidate.slug}: {line}")
        for r in verdict.verdict.records:  # what the would-be manifest lists
            principal = principal_string(r.user_id, r.login)
            self.say(f"  {candidate.slug}: manifest approval {r.role} {principal} {r.approved_at}")
        return verdict.verdict

    def report_failure(self, sha: str, title: str, summary: str) -> None:
        raise UsageError("an offline dry run reports nothing to GitHub")

    def ensure_releases(self, wanted: list[WantedRelease]) -> None:
        raise UsageError("an offline dry run creates no release")


@dataclass(frozen=True)
class FileVerdict:
    verdict: ApprovalVerdict
    notes: list[str]  # what was ignored, and why: shown before the verdict


def check_file_approvals(
    repo: GitDir, cand: Candidate, approvals: Sequence[FileApproval]
) -> FileVerdict:
    """The file's approvals against the base roster and what the dataset's change requires."""
    from kfm_bot.approvals.classify import classify_changes
    from kfm_bot.approvals.matching import assign, missing
    from kfm_bot.approvals.roster import roster_from
    from kfm_bot.approvals.units import requirements_for
    from kfm_bot.policy.policyset import load_policies
    from kfm_bot.repo.documents import DocumentStore
    from kfm_bot.repo.snapshot import CommitSnapshot

    g = cand.group
    base, end = CommitSnapshot(repo, g.base), CommitSnapshot(repo, g.end)
    policies = load_policies(DocumentStore(base))
    if policies.stewards is None or policies.approvals is None:
        reason = "the base commit has no readable steward roster or approval requirements"
        return FileVerdict(ApprovalVerdict(False, reason=reason), [])
    changed = {p for c in read.diff(repo, g.base, g.end) for p in (c.path, c.old_path) if p}
    change = classify_changes(base, end, changed, policies).get(cand.slug)
    if change is None:
        reason = f"the merge does not change {cand.slug} as an approval unit"
        return FileVerdict(ApprovalVerdict(False, reason=reason), [])
    required = requirements_for(change, policies.approvals)
    roster = roster_from(policies.stewards)
    merged_at = datetime.fromtimestamp(read.commit_time(repo, g.end), UTC)
    notes = [f"approvals from the file, checked against the base roster; {CANNOT_CHECK}"]
    roles: dict[int, set[str]] = {}
    stamps: dict[tuple[int, str], ApprovalRecord] = {}
    for a in approvals:
        steward = roster.by_id.get(a.user_id)
        why = _why_not(a, steward, roster.bots, required, merged_at)
        if why or steward is None:
            notes.append(f"ignored {a.where}: github:{a.user_id}:{a.login} {why}")
            continue
        roles.setdefault(a.user_id, set()).add(a.role)
        stamps[(a.user_id, a.role)] = ApprovalRecord(
            a.role, a.user_id, steward.login, a.approved_at
        )
    people = [(person, frozenset(r)) for person, r in sorted(roles.items())]
    filled = assign(required, people, roster.role_counts())
    lacking = {role: n for role, n in missing(required, filled).items() if n}
    if lacking:
        need = ", ".join(f"{n} more {role}" for role, n in sorted(lacking.items()))
        reason = f"the approvals file lacks {need} steward approval(s) for {cand.slug}"
        return FileVerdict(ApprovalVerdict(False, reason=reason), notes)
    records = tuple(stamps[(person, role)] for person, role in sorted(filled.items()))
    return FileVerdict(ApprovalVerdict(True, records), notes)


def _why_not(
    a: FileApproval,
    steward: Steward | None,
    bots: frozenset[int],
    required: Mapping[str, int],
    merged_at: datetime,
) -> str:
    """Why this approval cannot count (as the review path would ignore it), or ""."""
    from kfm_bot.approvals.roster import when

    if steward is None or a.user_id in bots or a.login.lower().endswith("[bot]"):
        return "is not a steward on the base roster"
    if steward.login.lower() != a.login.lower():
        return f"names login {a.login!r} but the roster's id {a.user_id} is {steward.login!r}"
    if a.role not in steward.roles:
        return f"does not hold the role {a.role!r} on the base roster"
    if a.role not in required:
        return f"role {a.role!r} is not one this change needs ({', '.join(sorted(required))})"
    if when(a.approved_at) > merged_at:
        return "is dated after the merge commit, so it cannot have approved the merge"
    return ""
