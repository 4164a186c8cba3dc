"""The merge queue: people enqueue pull requests, GitHub builds the group's merge commits.

GitHub's queue builds one temporary branch per entry, `gh-readonly-queue/<base>/pr-<n>-<sha>`
(`sha`: the PR's head when queued), each a merge commit on top of the entry before it; the
`merge_group` event names the last entry's branch and commit (head) and the base's tip (base).
Here the merge commits are made with real git in the bare repository, as `merge_pull` does.

Landing (`land_group`): GitHub merges a group once every check the branch's rulesets require
(`required_status_checks`, optionally pinned to an App by `integration_id`) has passed on the
group's merge commit; it fast-forwards the base to that commit, marks each member PR merged
(its merge commit: its own entry's tip) and deletes the queue's branches. A group whose checks
do not pass, or whose base moved, is removed from the queue and nothing lands. Only check runs
are read (commit statuses are not modelled here).
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kfm_bot.emulator import gitcmd
from kfm_bot.emulator.core import Core, now_iso
from kfm_bot.emulator.gitcmd import GitError, git
from kfm_bot.emulator.state import CheckRun, Ruleset

QUEUE_PREFIX = "refs/heads/gh-readonly-queue/"
ACTIONS_APP_ID = 15368  # the App of a run made with a workflow's GITHUB_TOKEN
PASSING = ("success", "neutral", "skipped")  # conclusions GitHub counts as a passing check


@dataclass(frozen=True)
class MergeGroup:
    """What a `merge_group` event carries about the group."""

    head_sha: str
    head_ref: str
    base_sha: str
    base_ref: str  # refs/heads/<base>


class Queue:
    """Control methods for the merge queue (a mixin of Emulator)."""

    core: Core

    def enqueue(self, owner: str, repo: str, numbers: list[int], *, by: str) -> MergeGroup:
        """Queue the open PRs `numbers` in order on their common base; returns the group of
        all of them (the last entry's branch). Refuses a PR that is not open, a second base,
        and a merge that conflicts (GitHub removes such a PR from the queue)."""
        if not numbers:
            raise ValueError("enqueue needs at least one pull request")
        with self.core.lock:
            base_repo = self.core.repo(owner, repo)
            pulls = [self.core.pull(base_repo, n) for n in numbers]
            merger = self.core.user(by)
            bases = {p.base_ref for p in pulls}
            if len(bases) != 1 or any(p.state != "open" for p in pulls):
                raise ValueError("only open pull requests on one base branch can be queued")
            base_ref = bases.pop()
            bare = self.core.git_path(base_repo.full_name)
            base_sha = gitcmd.rev_parse(bare, f"refs/heads/{base_ref}")
            if base_sha is None:
                raise ValueError(f"the base branch {base_ref!r} does not exist")
            email = f"{merger.id}+{merger.login}@users.noreply.github.com"
            env = {"GIT_COMMITTER_NAME": "GitHub", "GIT_AUTHOR_NAME": merger.login}
            env["GIT_AUTHOR_EMAIL"] = email
            ref = ""
            with tempfile.TemporaryDirectory(prefix="kfm-emu-queue-") as tmp:
                work = Path(tmp) / "work"
                git(bare, "clone", "--quiet", "--branch", base_ref, str(bare.resolve()), str(work))
                for pull in pulls:
                    git(work, "fetch", "--quiet", "origin", f"refs/pull/{pull.number}/head")
                    source = f"{(pull.head_repo or pull.repo).split('/', 1)[0]}/{pull.head_ref}"
                    message = f"Merge pull request #{pull.number} from {source}\n\n{pull.title}"
                    try:
                        git(
                            work,
                            "merge",
                            "--quiet",
                            "--no-ff",
                            "-m",
                            message,
                            pull.head_sha,
                            env=env,
                        )
                    except GitError as exc:
                        raise ValueError(f"#{pull.number} cannot join the queue: {exc}") from None
                    ref = f"{QUEUE_PREFIX}{base_ref}/pr-{pull.number}-{pull.head_sha}"
                    git(work, "push", "--quiet", "origin", f"HEAD:{ref}")
                head = git(work, "rev-parse", "HEAD").strip()
            return MergeGroup(head, ref, base_sha, f"refs/heads/{base_ref}")


class GroupRefused(ValueError):
    """The queue did not merge the group; the message says why."""


@dataclass(frozen=True)
class Landed:
    """What a landed group did to the base: `before` and `after` its tip, the PRs merged."""

    before: str
    after: str
    merged: tuple[int, ...]


def passes(runs: Sequence[CheckRun], sha: str, context: str, app_id: int | None) -> str | None:
    """None when `context` passed on `sha` (its newest run, by `app_id` when pinned), else why."""
    mine = [
        r
        for r in runs
        if r.head_sha == sha
        and r.name == context
        and (app_id is None or (r.app_id or ACTIONS_APP_ID) == app_id)
    ]
    if not mine:
        return f"{context!r} has not run"
    newest = max(mine, key=lambda r: r.id)
    if newest.status != "completed" or newest.conclusion not in PASSING:
        return f"{context!r} is {newest.conclusion or newest.status}"
    return None


class QueueMerge:
    """Control methods for rulesets and the queue's merge (a mixin of Emulator)."""

    core: Core

    def require_checks(
        self, owner: str, repo: str, branch: str, checks: Sequence[tuple[str, int | None]]
    ) -> int:
        """A ruleset on `branch` with a merge queue that requires `checks` ((context,
        integration_id) pairs) on the group's merge commit; its id."""
        with self.core.lock:
            full = self.core.repo(owner, repo).full_name
            wanted = [
                {"context": c} if i is None else {"context": c, "integration_id": i}
                for c, i in checks
            ]
            ruleset = Ruleset(full, self.core.state.new_id(), branch, wanted)
            self.core.state.rulesets.append(ruleset)
            return ruleset.id

    def land_group(self, owner: str, repo: str, group: MergeGroup, *, by: str) -> Landed:
        """Merge the group as GitHub's queue does once its required checks pass; raises
        GroupRefused (and dequeues the group) when a check has not passed or the base moved."""
        with self.core.lock:
            base_repo = self.core.repo(owner, repo)
            bare = self.core.git_path(base_repo.full_name)
            branch = group.base_ref.removeprefix("refs/heads/")
            entries = self._entries(base_repo.full_name, branch, group)
            problems = [
                why
                for rs in self.core.state.rulesets
                if rs.repo == base_repo.full_name and rs.branch == branch
                for check in rs.required_status_checks
                if (
                    why := passes(
                        self.core.state.check_runs,
                        group.head_sha,
                        str(check["context"]),
                        check.get("integration_id"),
                    )
                )
            ]
            if gitcmd.rev_parse(bare, group.base_ref) != group.base_sha:
                problems.append(f"{branch} moved since the group was built")
            if not entries or entries[-1][1] != group.head_sha:
                problems.append("the group's queue branches are gone")
            if problems:
                self._dequeue(bare, entries)
                numbers = ", ".join(f"#{n}" for n, _, _ in entries) or "no pull request"
                raise GroupRefused(f"the group of {numbers} was not merged: {'; '.join(problems)}")
            git(bare, "update-ref", group.base_ref, group.head_sha, group.base_sha)
            previous = group.base_sha
            stamp = now_iso()
            for number, tip, _ in entries:
                pull = self.core.pull(base_repo, number)
                pull.merged_commits = git(bare, "rev-list", f"{previous}..{tip}").split()
                pull.state, pull.merged, pull.merge_commit_sha = "closed", True, tip
                pull.merged_by, pull.merged_at, pull.closed_at, pull.updated_at = (
                    by,
                    stamp,
                    stamp,
                    stamp,
                )
                pull.base_sha = tip  # as merge_pull leaves it
                previous = tip
            self._dequeue(bare, entries)
            return Landed(group.base_sha, group.head_sha, tuple(n for n, _, _ in entries))

    def _entries(self, full: str, branch: str, group: MergeGroup) -> list[tuple[int, str, str]]:
        """(number, tip, ref) of the queue branches in the group, oldest first: those whose tip
        is on the group's first-parent line after its base."""
        bare = self.core.git_path(full)
        line = git(
            bare, "rev-list", "--first-parent", f"{group.base_sha}..{group.head_sha}"
        ).split()
        order = {sha: i for i, sha in enumerate(reversed(line))}
        prefix = f"{QUEUE_PREFIX}{branch}/pr-"
        found = []
        for ref, sha in self.core.refs(full).items():
            if ref.startswith(prefix) and sha in order:
                number = int(ref.removeprefix(prefix).split("-", 1)[0])
                found.append((order[sha], (number, sha, ref)))
        return [entry for _, entry in sorted(found)]

    def _dequeue(self, bare: Path, entries: Sequence[tuple[int, str, str]]) -> None:
        for _, _, ref in entries:
            git(bare, "update-ref", "-d", ref)
