"""One GraphQL read of everything the privileged run needs about a head commit.

REST needs five reads for it (the commit's pull requests, its check runs, and per PR its
reviews, commits and comments); GitHub's GraphQL API answers them in one `POST /graphql`.
`QUERY` (and `PULL_QUERY`, promotion's read of one PR by number) are the only GraphQL the
bot sends; `parse` and `parse_pull` turn their answers into the records the REST methods
return, with the same conversions (`convert.py`), so every caller sees one shape.

Fail closed: a GraphQL `errors` answer (raised by the client) or a field missing from `data`
raises `GitHubError`; never an empty list that could read as "no hold". A connection cut at
its first page is marked (`more`), and the client lists that piece over REST instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kfm_bot.github.interface import (
    CheckRun,
    Comment,
    Commit,
    GitHubError,
    Pull,
    Review,
    User,
)

__all__ = [
    "PULL_QUERY",
    "QUERIES",
    "QUERY",
    "PullPage",
    "SnapshotPage",
    "account",
    "parse",
    "parse_pull",
]

# GitHub prices a query by the connections it could fill (every `first:` reached, nested
# ones once per parent node), 1 point per 100, out of 1,000 points an hour for a workflow's
# GITHUB_TOKEN. A count of annotations on every run of every suite would be 50 x 100 of them
# (50 points), so only the runs named `$annotated` carry it (the gates run: the only one the
# bot adds annotations to, whose count a re-run needs), and at most 10 PRs share a head:
# about 2 points a query (tests/emulator/test_graphql.py checks the sum). A connection cut
# short is listed over REST instead.

_ACCOUNT = """
  __typename
  login
  ... on User { databaseId }
  ... on Bot { databaseId }
  ... on Organization { databaseId }
"""

# What both queries read of a pull request, and of a commit's check runs.
_PULL_FIELDS = """
number
state
isDraft
headRefName
headRefOid
headRepository { nameWithOwner }
baseRefName
baseRefOid
baseRepository { nameWithOwner }
author { ACCOUNT }
reviewRequests(first: 100) {
  pageInfo { hasNextPage endCursor }
  nodes { requestedReviewer { __typename ... on User { login } } }
}
reviews(first: 100) {
  pageInfo { hasNextPage endCursor }
  nodes {
    databaseId
    author { ACCOUNT }
    state
    body
    commit { oid }
    submittedAt
  }
}
commits(first: 100) {
  pageInfo { hasNextPage endCursor }
  nodes {
    commit {
      oid
      author { user { login databaseId } }
      committer { user { login databaseId } }
    }
  }
}
comments(first: 100) {
  pageInfo { hasNextPage endCursor }
  nodes { databaseId author { ACCOUNT } body createdAt }
}
"""

_COMMIT_RUNS = """
checkSuites(first: 50) {
  pageInfo { hasNextPage endCursor }
  nodes {
    app { databaseId slug }
    checkRuns(first: 100, filterBy: {checkType: ALL}) {
      pageInfo { hasNextPage endCursor }
      nodes { databaseId name status conclusion title summary text }
    }
  }
}
annotated: checkSuites(first: 20) {
  pageInfo { hasNextPage endCursor }
  nodes {
    checkRuns(first: 5, filterBy: {checkType: ALL, checkName: $annotated}) {
      pageInfo { hasNextPage endCursor }
      nodes { databaseId annotations(first: 1) { totalCount } }
    }
  }
}
"""

QUERY = """
query KfmHeadSnapshot($owner: String!, $name: String!, $sha: GitObjectID!, $annotated: String!) {
  repository(owner: $owner, name: $name) {
    nameWithOwner
    object(oid: $sha) {
      __typename
      oid
      ... on Commit {
        associatedPullRequests(first: 10) {
          pageInfo { hasNextPage endCursor }
          nodes { __PULL__ }
        }
        __RUNS__
      }
    }
  }
}
"""

# Promotion's read of a merged pull request by its number (the commit's associated PRs leave
# out one merged by squash or rebase: GitHub lists the merged PR that introduced a commit to
# the default branch, and open PRs otherwise), and of its head's check runs.
PULL_QUERY = """
query KfmPullSnapshot(
  $owner: String!, $name: String!, $number: Int!, $sha: GitObjectID!, $annotated: String!
) {
  repository(owner: $owner, name: $name) {
    nameWithOwner
    pullRequest(number: $number) { __PULL__ }
    object(oid: $sha) {
      __typename
      oid
      ... on Commit { __RUNS__ }
    }
  }
}
"""


def _filled(query: str) -> str:
    return (
        query.replace("__PULL__", _PULL_FIELDS)
        .replace("__RUNS__", _COMMIT_RUNS)
        .replace("ACCOUNT", " ".join(_ACCOUNT.split()))
    )


QUERY = _filled(QUERY)
PULL_QUERY = _filled(PULL_QUERY)
QUERIES = (QUERY, PULL_QUERY)  # every GraphQL the bot sends (the emulator's schema subset)


@dataclass(frozen=True)
class PullPage:
    """One open pull request whose head is the commit, with its reviews, commits and comments
    (each None when GitHub had more than one page of it: the client lists that over REST)."""

    pull: Pull
    reviews: tuple[Review, ...] | None
    commits: tuple[Commit, ...] | None
    comments: tuple[Comment, ...] | None


@dataclass(frozen=True)
class SnapshotPage:
    """What one read saw of a head commit: its open pull requests whose head it is (all of
    them only when `pulls_complete`) and its check runs (None: more than one page)."""

    sha: str
    pulls: tuple[PullPage, ...]
    pulls_complete: bool
    runs: tuple[CheckRun, ...] | None


def _get(data: object, key: str, where: str) -> Any:
    """A field GitHub must have answered: missing or of the wrong kind fails closed."""
    if not isinstance(data, Mapping) or key not in data:
        raise GitHubError(f"GitHub's GraphQL answer has no `{key}` in {where}")
    return data[key]


def _connection(data: object, key: str, where: str) -> tuple[list[Any], bool]:
    """A connection's first page and whether GitHub holds more."""
    found = _get(data, key, where)
    nodes = _get(found, "nodes", f"{where}.{key}")
    more = bool(_get(_get(found, "pageInfo", f"{where}.{key}"), "hasNextPage", f"{where}.{key}"))
    if not isinstance(nodes, list):
        raise GitHubError(f"GitHub's GraphQL answer has no list in {where}.{key}.nodes")
    return nodes, more


def account(data: object) -> User | None:
    """An Actor as REST shows it: a Bot's GraphQL login lacks the `[bot]` REST adds."""
    if not isinstance(data, Mapping) or "login" not in data:
        return None
    kind = str(data.get("__typename") or "User")
    login = str(data["login"])
    if kind == "Bot" and not login.endswith("[bot]"):
        login += "[bot]"
    ident = data.get("databaseId")
    return User(int(ident) if ident is not None else None, login, kind)


def _git_user(data: object) -> User | None:
    """A commit's GitActor: the account its e-mail belongs to, else None (as REST answers)."""
    return account(data.get("user")) if isinstance(data, Mapping) else None


def _pull(data: object, repo: str) -> Pull:
    where = "associatedPullRequests"
    head_repo = _get(data, "headRepository", where)
    base_repo = _get(data, "baseRepository", where)
    requests, _ = _connection(data, "reviewRequests", where)
    asked = [_get(n, "requestedReviewer", "reviewRequests") for n in requests]
    return Pull(
        number=int(_get(data, "number", where)),
        state=str(_get(data, "state", where)).lower(),  # OPEN | CLOSED | MERGED
        head_sha=str(_get(data, "headRefOid", where)),
        head_ref=str(_get(data, "headRefName", where)),
        head_repo=str(_get(head_repo, "nameWithOwner", where)) if head_repo else None,
        base_ref=str(_get(data, "baseRefName", where)),
        base_sha=str(_get(data, "baseRefOid", where)),
        base_repo=str(_get(base_repo, "nameWithOwner", where)) if base_repo else repo,
        author=account(_get(data, "author", where)) or User(None, "ghost"),
        draft=bool(_get(data, "isDraft", where)),
        requested_reviewers=tuple(
            str(a["login"])
            for a in asked
            if isinstance(a, Mapping) and a.get("__typename") == "User" and "login" in a
        ),
    )


def _review(data: object) -> Review:
    where = "reviews"
    commit = _get(data, "commit", where)
    return Review(
        int(_get(data, "databaseId", where)),
        account(_get(data, "author", where)),
        str(_get(data, "state", where)),
        str(_get(data, "body", where) or ""),
        str(_get(commit, "oid", where)) if commit else None,
        _get(data, "submittedAt", where),
    )


def _commit(node: object) -> Commit:
    data = _get(node, "commit", "commits")
    return Commit(  # no parents: nothing reads a PR's commits' parents
        str(_get(data, "oid", "commits")),
        _git_user(_get(data, "author", "commits")),
        _git_user(_get(data, "committer", "commits")),
    )


def _comment(data: object) -> Comment:
    where = "comments"
    return Comment(
        int(_get(data, "databaseId", where)),
        account(_get(data, "author", where)),
        str(_get(data, "body", where) or ""),
        str(_get(data, "createdAt", where)),
    )


def _annotations(commit: object) -> dict[int, int] | None:
    """Annotations on each run named `$annotated` (None: more suites or runs than read)."""
    suites, more = _connection(commit, "annotated", "Commit")
    counts: dict[int, int] = {}
    for suite in suites:
        runs, cut = _connection(suite, "checkRuns", "annotated")
        more = more or cut
        for run in runs:
            notes = _get(run, "annotations", "annotated")
            counts[int(_get(run, "databaseId", "annotated"))] = int(
                _get(notes, "totalCount", "annotated")
            )
    return None if more else counts


def _runs(commit: object, sha: str, annotated: str) -> tuple[CheckRun, ...] | None:
    counts = _annotations(commit)
    suites, more = _connection(commit, "checkSuites", "Commit")
    if counts is None:
        return None
    found: list[CheckRun] = []
    for suite in suites:
        app = _get(suite, "app", "checkSuites")
        runs, cut = _connection(suite, "checkRuns", "checkSuites")
        more = more or cut
        for run in runs:
            where = "checkRuns"
            conclusion = _get(run, "conclusion", where)
            ident, name = int(_get(run, "databaseId", where)), str(_get(run, "name", where))
            if name == annotated and ident not in counts:
                raise GitHubError(f"GitHub's GraphQL answer has no annotation count of run {ident}")
            found.append(
                CheckRun(
                    ident,
                    name,
                    sha,
                    str(_get(run, "status", where)).lower(),  # REST's words: completed, success
                    str(conclusion).lower() if conclusion is not None else None,
                    str(_get(run, "summary", where) or ""),
                    str(_get(run, "text", where) or ""),
                    counts.get(ident, 0),
                    int(_get(app, "databaseId", where)) if app else None,
                    str(_get(app, "slug", where) or "") if app else "",
                )
            )
    if more:
        return None
    return tuple(sorted(found, key=lambda r: -r.id))  # newest first, as REST lists them


def parse(answer: object, repo: str, sha: str, annotated: str) -> SnapshotPage:
    """`QUERY`'s `data` as records: the open pull requests whose head is `sha`; a missing
    repository or commit fails closed. `annotated`: the check-run name the query was asked to
    count annotations of."""
    _, commit = _repository_commit(answer, repo, sha)
    nodes, more = _connection(commit, "associatedPullRequests", "Commit")
    pulls = []
    for node in nodes:
        pull = _pull(node, repo)
        if pull.state == "open" and pull.head_sha == sha:
            pulls.append(_pull_page(pull, node))
    return SnapshotPage(sha, tuple(pulls), not more, _runs(commit, sha, annotated))


def parse_pull(answer: object, repo: str, sha: str, number: int, annotated: str) -> SnapshotPage:
    """`PULL_QUERY`'s `data` as records: pull request `number` (any state) and the check runs
    of its head `sha`; a missing repository, pull request or commit fails closed."""
    repository, commit = _repository_commit(answer, repo, sha)
    node = _get(repository, "pullRequest", "repository")
    if node is None:
        raise GitHubError(f"GitHub's GraphQL answer has no pull request #{number} in {repo}")
    pull = _pull(node, repo)
    if pull.number != number:
        raise GitHubError(f"GitHub's GraphQL answer holds #{pull.number}, not #{number}")
    return SnapshotPage(sha, (_pull_page(pull, node),), True, _runs(commit, sha, annotated))


def _repository_commit(answer: object, repo: str, sha: str) -> tuple[Any, Mapping[str, Any]]:
    data = _get(answer, "data", "the answer")
    repository = _get(data, "repository", "data")
    if repository is None:
        raise GitHubError(f"GitHub's GraphQL answer has no repository {repo}")
    commit = _get(repository, "object", "repository")
    if not isinstance(commit, Mapping) or commit.get("__typename") != "Commit":
        raise GitHubError(f"GitHub's GraphQL answer has no commit {sha[:12]} in {repo}")
    return repository, commit


def _pull_page(pull: Pull, node: object) -> PullPage:
    """A pull request's reviews, commits and comments (None: cut at the first page)."""
    reviews, r_more = _connection(node, "reviews", "pullRequest")
    commits, c_more = _connection(node, "commits", "pullRequest")
    comments, m_more = _connection(node, "comments", "pullRequest")
    return PullPage(
        pull,
        None if r_more else tuple(map(_review, reviews)),
        None if c_more else tuple(map(_commit, commits)),
        None if m_more else tuple(map(_comment, comments)),
    )
