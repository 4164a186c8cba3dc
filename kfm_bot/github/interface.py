"""The small GitHub interface the bot needs: plain records, the abstract client, its errors."""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from typing import NotRequired, TypedDict

from kfm_bot.errors import ServiceError


class GitHubError(ServiceError):
    """GitHub failed after the bounded retries, or refused a request (exit 3)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class NotFound(GitHubError):
    """The object asked for does not exist (or the token may not see it)."""


@dataclass(frozen=True)
class User:
    id: int | None  # None: a commit whose e-mail belongs to no account
    login: str
    type: str = "User"  # "Bot" for bot accounts


@dataclass(frozen=True)
class Pull:
    number: int
    state: str
    head_sha: str
    head_ref: str
    head_repo: str | None  # "owner/name"; None when the fork was deleted
    base_ref: str
    base_sha: str
    base_repo: str
    author: User
    draft: bool = False
    merged: bool = False
    merge_commit_sha: str | None = None
    requested_reviewers: tuple[str, ...] = ()  # logins asked to review and not yet reviewed


@dataclass(frozen=True)
class Release:
    id: int
    tag: str
    assets: tuple[str, ...] = ()  # the names of its uploaded files
    upload_url: str = ""  # where its assets are uploaded (GitHub's uploads host)


@dataclass(frozen=True)
class Review:
    id: int
    user: User | None
    state: str  # APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING
    body: str
    commit_id: str | None
    submitted_at: str | None


@dataclass(frozen=True)
class Comment:
    id: int
    user: User | None
    body: str
    created_at: str


@dataclass(frozen=True)
class Commit:
    sha: str
    author: User | None
    committer: User | None
    parents: tuple[str, ...] = ()


@dataclass(frozen=True)
class CheckRun:
    id: int
    name: str
    head_sha: str
    status: str
    conclusion: str | None
    summary: str = ""
    text: str = ""
    annotations_count: int = 0  # GitHub keeps every annotation ever added to a run
    app_id: int | None = None  # the GitHub App that made it: only it may update the run
    app_slug: str = ""


@dataclass(frozen=True)
class PullSnapshot:
    """A pull request with its reviews, commits (as GitHub accounts) and comments."""

    pull: Pull
    reviews: tuple[Review, ...]
    commits: tuple[Commit, ...]
    comments: tuple[Comment, ...]


@dataclass(frozen=True)
class HeadSnapshot:
    """What one read saw of a head commit: its pull requests (the open ones whose head it is,
    forks included; or the one promotion asked for) and the commit's check runs (the bot's
    own; see `forged_runs`)."""

    sha: str
    pulls: tuple[PullSnapshot, ...]
    runs: tuple[CheckRun, ...]

    def of(self, number: int) -> PullSnapshot | None:
        """Pull request `number`'s reviews, commits and comments, when this read holds it."""
        return next((r for r in self.pulls if r.pull.number == number), None)


@dataclass(frozen=True)
class BotIdentity:
    """The App the bot posts as: its id and slug, and whether it is the bot's own App
    (kfm_bot/github/identity.py decides whose check runs it believes)."""

    app_id: int
    slug: str
    own_app: bool


# GitHub Actions' App (api.github.com/apps/github-actions): what a workflow's GITHUB_TOKEN is.
ACTIONS = BotIdentity(15368, "github-actions", own_app=False)


@dataclass(frozen=True)
class Forged:
    """A check run under one of the bot's names that another App made."""

    run_id: int
    name: str
    app_id: int | None
    app_slug: str


class Annotation(TypedDict):
    """One check-run annotation, as GitHub's API takes it."""

    path: str
    start_line: int
    end_line: int
    annotation_level: str  # failure | warning | notice
    message: str
    title: str
    start_column: NotRequired[int]
    end_column: NotRequired[int]


class OutputBody(TypedDict):
    """A check run's `output` object, as GitHub's API takes it."""

    title: str
    summary: str
    text: NotRequired[str]
    annotations: NotRequired[list[Annotation]]


@dataclass
class CheckOutput:
    """What a check run shows: GitHub's `output` object."""

    title: str
    summary: str
    text: str = ""
    annotations: list[Annotation] = field(default_factory=list)

    def payload(self) -> OutputBody:
        out: OutputBody = {"title": self.title, "summary": self.summary}
        if self.text:
            out["text"] = self.text
        if self.annotations:
            out["annotations"] = self.annotations
        return out


class GitHubClient(abc.ABC):
    """One repository's API, as the bot uses it; every call is one retried operation."""

    repo: str  # "owner/name"
    identity: BotIdentity = ACTIONS  # the App its writes are made as

    def forged_runs(self) -> list[Forged]:
        """Check runs under the bot's names by another App, left out of every listing so far."""
        return []

    @abc.abstractmethod
    def get_pull(self, number: int) -> Pull: ...

    @abc.abstractmethod
    def pulls_for_commit(self, sha: str) -> list[Pull]:
        """Open pull requests whose head is `sha` (forks included)."""

    @abc.abstractmethod
    def list_open_pulls(self) -> list[Pull]: ...

    @abc.abstractmethod
    def list_reviews(self, number: int) -> list[Review]: ...

    @abc.abstractmethod
    def list_pull_commits(self, number: int) -> list[Commit]: ...

    @abc.abstractmethod
    def list_issue_comments(self, number: int) -> list[Comment]: ...

    @abc.abstractmethod
    def list_check_runs(self, sha: str, name: str | None = None) -> list[CheckRun]:
        """Check runs on a commit, optionally only those called `name`; never a run under
        the bot's names that another App made (those are kept for `forged_runs`)."""

    def head_snapshot(self, sha: str) -> HeadSnapshot:
        """The open PRs whose head is `sha` with their reviews, commits and comments, and the
        commit's check runs. Over REST this is 2 + 3 per PR requests; the PyGithub client
        reads it with one GraphQL query."""
        pulls = tuple(
            PullSnapshot(
                p,
                tuple(self.list_reviews(p.number)),
                tuple(self.list_pull_commits(p.number)),
                tuple(self.list_issue_comments(p.number)),
            )
            for p in self.open_pulls_with_head(sha, self.pulls_for_commit(sha))
        )
        return HeadSnapshot(sha, pulls, tuple(self.list_check_runs(sha)))

    def open_pulls_with_head(self, sha: str, by_commit: list[Pull]) -> list[Pull]:
        """The open PRs whose head is `sha`: from `by_commit` (GitHub's listing by commit),
        else from every open PR (a commit only a fork holds: the listing by commit knows
        none)."""
        found = [p for p in by_commit if p.head_sha == sha]
        if not found:
            found = [p for p in self.list_open_pulls() if p.head_sha == sha]
        return [p for p in found if p.state == "open"]

    def pull_snapshot(self, pull: Pull) -> HeadSnapshot:
        """One pull request, whatever its state (promotion re-checks a merged one), with its
        reviews, commits and comments, and its head's check runs: `pulls` holds just `pull`.
        Over REST this is 4 requests; the PyGithub client reads it with one GraphQL query."""
        read = PullSnapshot(
            pull,
            tuple(self.list_reviews(pull.number)),
            tuple(self.list_pull_commits(pull.number)),
            tuple(self.list_issue_comments(pull.number)),
        )
        return HeadSnapshot(pull.head_sha, (read,), tuple(self.list_check_runs(pull.head_sha)))

    @abc.abstractmethod
    def create_check_run(
        self, sha: str, name: str, status: str, output: CheckOutput, conclusion: str | None = None
    ) -> CheckRun: ...

    @abc.abstractmethod
    def update_check_run(
        self, run_id: int, status: str, output: CheckOutput, conclusion: str | None = None
    ) -> CheckRun: ...

    @abc.abstractmethod
    def create_tag(self, tag: str, message: str, sha: str, tagger: dict[str, str]) -> str:
        """Create an annotated tag object and its ref; returns the tag object's sha."""

    @abc.abstractmethod
    def create_release(self, tag: str, name: str, body: str) -> int: ...

    @abc.abstractmethod
    def rate_limit_remaining(self) -> int: ...

    def pulls_with_commit(self, sha: str) -> list[Pull]:
        """Every pull request associated with commit `sha`, open or closed (merged ones too)."""
        raise NotImplementedError

    def create_issue_comment(self, number: int, body: str) -> Comment:
        """Comment on issue or pull request `number` as the token's account."""
        raise NotImplementedError

    def edit_issue_comment(self, comment_id: int, body: str) -> Comment:
        """Replace the body of an issue comment (the bot edits only its own state record)."""
        raise NotImplementedError

    def request_reviewers(self, number: int, logins: list[str]) -> None:
        """Ask these accounts to review pull request `number` (one request; GitHub keeps
        whoever was already asked)."""
        raise NotImplementedError

    def get_release_by_tag(self, tag: str) -> Release:
        """The release for `tag`; raises NotFound when there is none."""
        raise NotImplementedError

    def upload_asset(self, release: Release, name: str, data: bytes, content_type: str) -> None:
        """Attach a file to `release` at its upload URL (GitHub answers 422 if the name exists)."""
        raise NotImplementedError

    def recent_releases(self, count: int) -> list[Release]:
        """The newest `count` releases (at most 100), newest first: one request."""
        raise NotImplementedError

    def get_user(self, login: str) -> User:
        """The account called `login` now (`GET /users/{login}`); raises NotFound when no
        account has that login. Needs no scope: any token, even a read-only one, may ask."""
        raise NotImplementedError

    def make_release(self, tag: str, name: str, body: str) -> Release:
        """`create_release`, answering with the new release (its upload URL): no re-read."""
        raise NotImplementedError
