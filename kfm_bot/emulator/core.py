"""Shared emulator state: lookups by name, git paths, URLs, and the API error type."""

from __future__ import annotations

import datetime
import threading
from pathlib import Path

from kfm_bot.emulator import gitcmd
from kfm_bot.emulator.state import Pull, Repo, State, User

DOCS = "https://docs.github.com/rest"


class ApiError(Exception):
    """An error answer in GitHub's shape: `{"message", "documentation_url"}` and a status."""

    def __init__(self, status: int, message: str, errors: list[dict[str, str] | str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors


def now_iso() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Core:
    """State, the git repositories on disk, and lookups that answer 404 like GitHub."""

    def __init__(self, root: Path, state: State | None = None) -> None:
        self.root = root
        self.state = state or State()
        self.base_url = "http://127.0.0.1:0"
        self.lock = threading.RLock()

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def html(self, path: str) -> str:
        return f"{self.base_url}/_html{path}"

    def git_path(self, full_name: str) -> Path:
        owner, name = full_name.split("/", 1)
        return self.root / "git" / owner / f"{name}.git"

    def find_user(self, login: str) -> User | None:
        return next((u for u in self.state.users if u.login.lower() == login.lower()), None)

    def user(self, login: str) -> User:
        found = self.find_user(login)
        if found is None:
            raise ApiError(404, "Not Found")
        return found

    def repo(self, owner: str, name: str) -> Repo:
        full = f"{owner}/{name}".lower()
        found = next((r for r in self.state.repos if r.full_name.lower() == full), None)
        if found is None:
            raise ApiError(404, "Not Found")
        return found

    def pull(self, repo: Repo, number: int) -> Pull:
        found = next(
            (p for p in self.state.pulls if p.repo == repo.full_name and p.number == number), None
        )
        if found is None:
            raise ApiError(404, "Not Found")
        self.refresh(found)
        return found

    def pulls_of(self, repo: Repo) -> list[Pull]:
        pulls = [p for p in self.state.pulls if p.repo == repo.full_name]
        for pull in pulls:
            self.refresh(pull)
        return pulls

    def refs(self, full_name: str) -> dict[str, str]:
        """Every ref of a repository and the object it names, in one git call."""
        return {name: sha for name, sha, _ in gitcmd.list_refs(self.git_path(full_name))}

    def refresh(self, pull: Pull) -> None:
        """Follow pushes to an open pull request's head and base branches, as GitHub does."""
        if pull.state != "open":
            return
        base_refs = self.refs(pull.repo)
        if pull.head_repo is not None:
            head_refs = base_refs if pull.head_repo == pull.repo else self.refs(pull.head_repo)
            head_sha = head_refs.get(f"refs/heads/{pull.head_ref}")
            if head_sha and head_sha != pull.head_sha:
                pull.head_sha = head_sha
                pull.updated_at = now_iso()
            if base_refs.get(f"refs/pull/{pull.number}/head") != pull.head_sha:
                self.sync_pull_ref(pull)
        pull.base_sha = base_refs.get(f"refs/heads/{pull.base_ref}", pull.base_sha)

    def sync_pull_ref(self, pull: Pull) -> None:
        """Keep refs/pull/N/head in the base repository at the head commit."""
        base = self.git_path(pull.repo)
        ref = f"refs/pull/{pull.number}/head"
        if gitcmd.object_type(base, pull.head_sha) is None and pull.head_repo is not None:
            gitcmd.fetch(base, self.git_path(pull.head_repo), f"refs/heads/{pull.head_ref}:{ref}")
        gitcmd.update_ref(base, ref, pull.head_sha)

    def issue_number_exists(self, repo: Repo, number: int) -> None:
        self.pull(repo, number)
