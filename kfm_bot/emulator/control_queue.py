"""The merge queue: people enqueue pull requests, GitHub builds the group's merge commits.

GitHub's queue builds one temporary branch per entry, `gh-readonly-queue/<base>/pr-<n>-<sha>`
(`sha`: the PR's head when queued), each a merge commit on top of the entry before it; the
`merge_group` event names the last entry's branch and commit (head) and the base's tip (base).
Here the merge commits are made with real git in the bare repository, as `merge_pull` does.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from kfm_bot.emulator import gitcmd
from kfm_bot.emulator.core import Core
from kfm_bot.emulator.gitcmd import GitError, git

QUEUE_PREFIX = "refs/heads/gh-readonly-queue/"


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
