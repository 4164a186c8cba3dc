"""The emulator's in-memory GitHub state and its JSON form, so a run can resume from a file."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kfm_bot.emulator.skeleton import EPOCH


@dataclass
class User:
    login: str
    id: int
    type: str = "User"  # "User" | "Bot" | "Organization"


@dataclass
class Team:
    org: str
    slug: str
    id: int
    members: list[str] = field(default_factory=list)


@dataclass
class Repo:
    owner: str
    name: str
    id: int
    default_branch: str = "main"
    fork_of: str | None = None  # full name of the parent
    collaborators: dict[str, str] = field(default_factory=dict)  # login -> admin|write|read

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"


@dataclass
class Pull:
    repo: str
    number: int
    id: int
    title: str
    body: str | None
    user: str
    head_ref: str
    head_repo: str | None  # full name; None once a fork is deleted
    head_sha: str
    base_ref: str
    base_sha: str
    state: str = "open"
    draft: bool = False
    merged: bool = False
    merge_commit_sha: str | None = None
    merged_by: str | None = None
    created_at: str = EPOCH
    updated_at: str = EPOCH
    closed_at: str | None = None
    merged_at: str | None = None
    labels: list[str] = field(default_factory=list)
    requested_reviewers: list[str] = field(default_factory=list)
    requested_teams: list[str] = field(default_factory=list)
    merged_commits: list[str] = field(default_factory=list)  # what the merge put on base


@dataclass
class Review:
    repo: str
    number: int
    id: int
    user: str
    state: str  # APPROVED | CHANGES_REQUESTED | COMMENTED | DISMISSED | PENDING
    body: str
    commit_id: str
    submitted_at: str


@dataclass
class Comment:
    repo: str
    number: int
    id: int
    user: str
    body: str
    created_at: str
    updated_at: str


@dataclass
class CheckRun:
    repo: str
    id: int
    name: str
    head_sha: str
    status: str = "queued"
    conclusion: str | None = None
    started_at: str | None = None
    completed_at: str | None = None
    details_url: str | None = None
    external_id: str | None = None
    title: str | None = None
    summary: str | None = None
    text: str | None = None
    annotations: list[dict[str, Any]] = field(default_factory=list)
    app_owner: str | None = None  # login of the token that created it
    app_id: int | None = None  # the App whose installation token made it; None: GitHub Actions


@dataclass
class Status:
    repo: str
    sha: str
    id: int
    state: str
    context: str
    description: str | None
    target_url: str | None
    creator: str
    created_at: str


@dataclass
class Release:
    repo: str
    id: int
    tag_name: str
    target_commitish: str
    name: str | None
    body: str | None
    draft: bool
    prerelease: bool
    author: str
    created_at: str
    assets: list[ReleaseAsset] = field(default_factory=list)


@dataclass
class ReleaseAsset:
    id: int
    name: str
    content_type: str
    data_b64: str  # the uploaded bytes, base64 (the state file is JSON)
    uploader: str
    created_at: str


@dataclass
class App:
    """A GitHub App: its JWTs are checked against `public_key` (PEM); its bot is `<slug>[bot]`."""

    id: int
    slug: str
    owner: str
    public_key: str


@dataclass
class Installation:
    """An App installed on an account: its installation tokens act on the account's repos."""

    id: int
    app_id: int
    account: str


@dataclass
class Ruleset:
    """A repository ruleset on one branch with the two rules the merge queue reads: its
    `merge_queue` rule, and `required_status_checks`, each item GitHub's
    `repository-rule-params-status-check-configuration` (`context`, optional `integration_id`:
    the App whose run counts, else any)."""

    repo: str
    id: int
    branch: str
    required_status_checks: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Artifact:
    repo: str
    run_id: int
    id: int
    name: str
    size_in_bytes: int


_TABLES: dict[str, type[Any]] = {
    "users": User,
    "teams": Team,
    "repos": Repo,
    "pulls": Pull,
    "reviews": Review,
    "comments": Comment,
    "check_runs": CheckRun,
    "statuses": Status,
    "releases": Release,
    "artifacts": Artifact,
    "apps": App,
    "installations": Installation,
    "rulesets": Ruleset,
}


@dataclass
class State:
    """Everything the emulator knows besides git: lists per kind, plus tokens and counters."""

    users: list[User] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)
    repos: list[Repo] = field(default_factory=list)
    pulls: list[Pull] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    check_runs: list[CheckRun] = field(default_factory=list)
    statuses: list[Status] = field(default_factory=list)
    releases: list[Release] = field(default_factory=list)
    artifacts: list[Artifact] = field(default_factory=list)
    apps: list[App] = field(default_factory=list)
    installations: list[Installation] = field(default_factory=list)
    rulesets: list[Ruleset] = field(default_factory=list)
    tokens: dict[str, str] = field(default_factory=dict)  # token -> login
    app_tokens: dict[str, int] = field(default_factory=dict)  # installation token -> App id
    read_only_tokens: list[str] = field(default_factory=list)  # like a fork PR's GITHUB_TOKEN
    next_id: int = 1000

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id

    def save(self, path: Path) -> None:
        text = json.dumps(dataclasses.asdict(self), indent=1, sort_keys=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> State:
        data = json.loads(path.read_text(encoding="utf-8"))
        state = cls(
            tokens=dict(data["tokens"]),
            next_id=int(data["next_id"]),
            read_only_tokens=list(data.get("read_only_tokens", [])),
            app_tokens={k: int(v) for k, v in data.get("app_tokens", {}).items()},
        )
        for name, kind in _TABLES.items():
            setattr(state, name, [kind(**row) for row in data.get(name, [])])
        for release in state.releases:
            release.assets = [
                ReleaseAsset(**a) if isinstance(a, dict) else a for a in release.assets
            ]
        return state
