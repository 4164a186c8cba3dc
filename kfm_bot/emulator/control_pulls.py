"""The human side of GitHub: repositories, pull requests, reviews, comments and merges."""

from __future__ import annotations

from pathlib import Path

from kfm_bot.emulator import gitcmd, merge
from kfm_bot.emulator.core import Core, now_iso
from kfm_bot.emulator.state import Pull, Repo


class People:
    """Control methods that stand in for people clicking in GitHub's web interface."""

    core: Core

    def make_repo(
        self, owner: str, name: str, branch: str | None, source: Path | None, fork_of: str | None
    ) -> str:
        full = f"{owner}/{name}"
        path = self.core.git_path(full)
        with self.core.lock:
            if any(r.full_name.lower() == full.lower() for r in self.core.state.repos):
                raise ValueError(f"repository {full} already exists")
            if fork_of is not None:
                parent = self.core.repo(*fork_of.split("/", 1))
                branch = parent.default_branch
                path.parent.mkdir(parents=True, exist_ok=True)
                gitcmd.git(
                    path.parent,
                    "clone",
                    "--quiet",
                    "--bare",
                    str(self.core.git_path(fork_of).resolve()),
                    str(path.resolve()),
                )
            else:
                gitcmd.init_bare(path, branch or "main")
                gitcmd.commit_tree_from_dir(path, source, branch or "main", "Initial commit")
            repo = Repo(owner, name, self.core.state.new_id(), branch or "main", fork_of)
            self.core.state.repos.append(repo)
        return str(path.resolve())

    def pull(self, owner: str, repo: str, number: int) -> Pull:
        """The live record of a pull request (refreshed from git)."""
        with self.core.lock:
            return self.core.pull(self.core.repo(owner, repo), number)

    def open_pull(
        self,
        owner: str,
        repo: str,
        head_ref: str,
        base_ref: str = "main",
        *,
        author: str,
        title: str = "Update",
        body: str | None = None,
        head_owner: str | None = None,
        draft: bool = False,
    ) -> int:
        """Open a PR from a branch already pushed to owner/repo or to head_owner's fork."""
        with self.core.lock:
            base = self.core.repo(owner, repo)
            head = self.core.repo(head_owner, repo) if head_owner else base
            self.core.user(author)
            head_sha = gitcmd.rev_parse(
                self.core.git_path(head.full_name), f"refs/heads/{head_ref}"
            )
            base_sha = gitcmd.rev_parse(
                self.core.git_path(base.full_name), f"refs/heads/{base_ref}"
            )
            if head_sha is None or base_sha is None:
                raise ValueError(f"branch {head_ref!r} or {base_ref!r} does not exist")
            state = self.core.state
            number = 1 + max((p.number for p in state.pulls if p.repo == base.full_name), default=0)
            stamp = now_iso()
            pull = Pull(
                base.full_name,
                number,
                state.new_id(),
                title,
                body,
                author,
                head_ref,
                head.full_name,
                head_sha,
                base_ref,
                base_sha,
                draft=draft,
                created_at=stamp,
                updated_at=stamp,
            )
            state.pulls.append(pull)
            self.core.sync_pull_ref(pull)
            return number

    def edit_pull(
        self,
        owner: str,
        repo: str,
        number: int,
        *,
        title: str | None = None,
        body: str | None = None,
        draft: bool | None = None,
        state: str | None = None,
        delete_head_repo: bool = False,
    ) -> Pull:
        """Change a PR the way its author could: title, body, draft, open/closed."""
        with self.core.lock:
            pull = self.pull(owner, repo, number)
            pull.title = title if title is not None else pull.title
            pull.body = body if body is not None else pull.body
            pull.draft = draft if draft is not None else pull.draft
            if state is not None and state != pull.state and not pull.merged:
                pull.state = state
                pull.closed_at = now_iso() if state == "closed" else None
            if delete_head_repo:
                pull.head_repo = None
            pull.updated_at = now_iso()
            return pull

    def merge_pull(
        self, owner: str, repo: str, number: int, method: str = "merge", *, by: str
    ) -> str:
        """Merge with a real git operation in the bare repository; returns the merge sha."""
        with self.core.lock:
            pull = self.pull(owner, repo, number)
            if pull.state != "open":
                raise ValueError(f"pull request #{number} is not open")
            author, merger = self.core.user(pull.user), self.core.user(by)
            bare = self.core.git_path(pull.repo)
            before = gitcmd.rev_parse(bare, f"refs/heads/{pull.base_ref}")
            sha = merge.merge(bare, pull, method, author, merger)
            # GitHub associates every commit a merge put on the base with the PR (rebase too).
            pull.merged_commits = gitcmd.git(bare, "rev-list", f"{before}..{sha}").split()
            stamp = now_iso()
            pull.state, pull.merged, pull.merge_commit_sha = "closed", True, sha
            pull.merged_by, pull.merged_at, pull.closed_at, pull.updated_at = (
                by,
                stamp,
                stamp,
                stamp,
            )
            pull.base_sha = sha
            return sha
