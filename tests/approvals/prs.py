"""Pull requests in real git repositories for the approvals tests: commits, facts, verdicts."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kfm_bot.app.pull_approvals import checkout_approvals
from kfm_bot.approvals.facts import Comment, CommitFacts, Principal, PullFacts, Review
from kfm_bot.approvals.result import ApprovalResult
from kfm_bot.approvals.state import ApprovalState
from tests.gitrepo import git, init_example_repo

MARA = Principal(4410021, "mara-osei")  # data, policy
TOMAS = Principal(4410022, "tomas-reyes")  # data, licensing
JUNE = Principal(4410023, "june-harjo")  # sensitivity, data
IKE = Principal(4410024, "ike-lindqvist")  # licensing, policy
NOOR = Principal(4410025, "noor-haddad")  # sensitivity
AUTHOR = Principal(7700001, "casey-contrib")
OUTSIDER = Principal(7700002, "sam-outside")
KFM_BOT = Principal(4410099, "kfm-bot[bot]", "Bot")

TEMPLATE: list[Path] = []  # set by tests/approvals/conftest.py
WELLS = "specs/ks_water_wells/spec.yaml"
COUNTIES = "specs/ks_county_boundaries/spec.yaml"
ARCHAEO = "specs/archaeo_site_density/spec.yaml"


def at(hour: int, minute: int = 0) -> str:
    return f"2026-11-03T{hour:02d}:{minute:02d}:00Z"


@dataclass
class PR:
    """A PR branch `pr` off `main` in a temporary clone of the example content."""

    repo: Path
    base: str
    commits: list[str] = field(default_factory=list)
    number: int = 17

    @classmethod
    def open(cls, tmp: Path) -> PR:
        repo = tmp / "repo"
        if TEMPLATE:  # a copy of one session-wide repository is much faster than a new one
            shutil.copytree(TEMPLATE[0], repo, symlinks=True)
        else:
            init_example_repo(repo)
        git(repo, "checkout", "-q", "-b", "pr")
        return cls(repo, git(repo, "rev-parse", "main"))

    def read(self, path: str) -> str:
        return (self.repo / path).read_text(encoding="utf-8")

    def edit(self, path: str, old: str, new: str, message: str = "edit") -> str:
        text = self.read(path)
        assert old in text, f"{old!r} not in {path}"
        return self.write({path: text.replace(old, new, 1)}, message)

    def write(self, files: dict[str, str | None], message: str = "change") -> str:
        for path, text in files.items():
            target = self.repo / path
            if text is None:
                git(self.repo, "rm", "-q", path)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        git(self.repo, "add", "-A")
        git(self.repo, "commit", "-q", "--allow-empty", "-m", message)
        sha = git(self.repo, "rev-parse", "HEAD")
        self.commits.append(sha)
        return sha

    @property
    def head(self) -> str:
        return self.commits[-1]

    def facts(
        self,
        reviews: Sequence[Review] = (),
        comments: Sequence[Comment] = (),
        author: Principal = AUTHOR,
        committer: Principal | None = AUTHOR,
        previous: ApprovalState | None = None,
    ) -> PullFacts:
        commits = [CommitFacts(sha, author, committer) for sha in self.commits]
        return PullFacts(
            self.number, author, self.head, self.base, commits, reviews, comments, previous
        )

    def evaluate(self, *reviews: Review, **kwargs: object) -> ApprovalResult:
        return checkout_approvals(self.repo, self.facts(reviews, **kwargs))  # type: ignore[arg-type]


_ids = iter(range(1000, 10**6))


def approve(who: Principal | None, commit: str, when: str = "", body: str = "") -> Review:
    return Review(next(_ids), who, "APPROVED", body, commit, when or at(10))


def review(who: Principal | None, state: str, commit: str, when: str, body: str = "") -> Review:
    return Review(next(_ids), who, state, body, commit, when)


def comment(who: Principal | None, body: str, when: str) -> Comment:
    return Comment(next(_ids), who, body, when)
