"""`POST /graphql`: GitHub's GraphQL API over the same state the REST handlers serve.

Every query is parsed and validated against GitHub's own schema, cut to the part the bot uses
(`data/github-graphql-subset.graphql`, made by `graphql_subset.py`): a field GitHub does not
have is refused as GitHub refuses it, with HTTP 200 and `{"errors": [...]}`. Resolvers read the
emulator's pull requests, reviews, comments, git commits (their e-mails mapped to accounts as
REST maps them) and check runs (with the App that made each). Connections page for real:
`first`/`last` are required and capped at 100, `after` takes the `endCursor` of a page.
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Callable
from importlib import resources
from typing import Any

from graphql import (
    GraphQLError,
    GraphQLSchema,
    build_schema,
    execute_sync,
    parse,
    validate,
)
from graphql.error import GraphQLSyntaxError

from kfm_bot.emulator import gitcmd, gitread, shape_git
from kfm_bot.emulator.core import ApiError, Core
from kfm_bot.emulator.gitread import CommitInfo
from kfm_bot.emulator.shape_checks import app_of
from kfm_bot.emulator.state import App, CheckRun, Pull, Repo

JSON = dict[str, Any]
MAX_FIRST = 100
DOCS = "https://docs.github.com/graphql"


@functools.cache
def schema() -> GraphQLSchema:
    text = resources.files("kfm_bot.emulator").joinpath("data/github-graphql-subset.graphql")
    return build_schema(text.read_text(encoding="utf-8"))


class Refused(GraphQLError):
    """An error GitHub reports beside `data`, with its `type` (NOT_FOUND, ...)."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


def _cursor(index: int) -> str:
    return base64.b64encode(f"cursor:{index}".encode()).decode()


def _after(value: object) -> int:
    if value is None:
        return 0
    try:
        text = base64.b64decode(str(value), validate=True).decode()
        kind, _, index = text.partition(":")
        if kind == "cursor" and index.isdigit():
            return int(index) + 1
    except ValueError:
        pass
    raise Refused(f"`{value}` does not appear to be a valid cursor.", "INVALID_CURSOR_ARGUMENTS")


def connection(name: str, items: list[Any], args: dict[str, Any]) -> JSON:
    """One page of `items` as GitHub's connection: nodes, pageInfo and totalCount (the subset's
    PageInfo has no startCursor or hasPreviousPage: no query reads back)."""
    first, last = args.get("first"), args.get("last")
    if first is None and last is None:
        raise Refused(
            f"You must provide a `first` or `last` value to properly paginate the `{name}` "
            "connection.",
            "MISSING_PAGINATION_BOUNDARIES",
        )
    for key, value in (("first", first), ("last", last)):
        if value is not None and not 0 <= value <= MAX_FIRST:
            raise Refused(
                f"Requesting {value} records on the `{name}` connection exceeds the `{key}` "
                f"limit of {MAX_FIRST} records.",
                "EXCESSIVE_PAGINATION",
            )
    start = _after(args.get("after"))
    stop = len(items)
    if first is not None:
        stop = min(stop, start + first)
    if last is not None:
        start = max(start, stop - last)
    page = items[start:stop]
    return {
        "nodes": page,
        "totalCount": len(items),
        "pageInfo": {
            "hasNextPage": stop < len(items),
            "endCursor": _cursor(stop - 1) if page else None,
        },
    }


def _paged(name: str, items: Callable[[], list[Any]]) -> Callable[..., JSON]:
    def resolve(_info: object, **args: Any) -> JSON:
        return connection(name, items(), args)

    return resolve


class Resolvers:
    """Objects for the default resolver: dicts whose callables take the field's arguments."""

    def __init__(self, core: Core) -> None:
        self.core = core

    def actor(self, login: str | None) -> JSON | None:
        found = self.core.find_user(login) if login else None
        if found is None:
            return None
        kind = found.type if found.type in ("User", "Bot", "Organization") else "User"
        # GitHub's GraphQL names a bot without the `[bot]` its REST answers add
        name = found.login.removesuffix("[bot]") if kind == "Bot" else found.login
        return {"__typename": kind, "login": name, "databaseId": found.id}

    def _email_user(self, email: str) -> JSON | None:
        return self.actor(shape_git.noreply_login(email))

    def repository(self, repo: Repo) -> JSON:
        path = self.core.git_path(repo.full_name)

        def obj(_info: object, oid: str | None = None, **_: Any) -> JSON | None:
            if oid is None or gitcmd.object_type(path, str(oid)) != "commit":
                return None
            full = gitcmd.rev_parse(path, str(oid))
            return self.commit(repo, full) if full else None

        def pull_request(_info: object, number: int) -> JSON:
            try:
                return self.pull(self.core.pull(repo, number))
            except ApiError:
                raise Refused(
                    f"Could not resolve to a PullRequest with the number of {number}.", "NOT_FOUND"
                ) from None

        return {"nameWithOwner": repo.full_name, "object": obj, "pullRequest": pull_request}

    def commit(self, repo: Repo, sha: str, known: Callable[[], CommitInfo] | None = None) -> JSON:
        """A Commit node; `known` gives its git data when a batch read it (a PR's commits)."""
        path = self.core.git_path(repo.full_name)
        info = functools.cache(known or (lambda: gitread.commit_info(path, sha)))

        # The subset's GitActor has only `user`: the account the e-mail maps to.
        def person(which: str) -> Callable[[object], JSON]:
            def resolve(_info: object) -> JSON:
                _name, email, _date = getattr(info(), which)
                return {"user": self._email_user(email)}

            return resolve

        return {
            "__typename": "Commit",
            "oid": sha,
            "author": person("author"),
            "committer": person("committer"),
            "associatedPullRequests": _paged(
                "associatedPullRequests", lambda: self._pulls_of(repo, sha)
            ),
            "checkSuites": _paged("checkSuites", lambda: self._suites(repo, sha)),
        }

    def _pulls_of(self, repo: Repo, sha: str) -> list[JSON]:
        found = [
            p
            for p in self.core.pulls_of(repo)
            if p.head_sha == sha or p.merge_commit_sha == sha or sha in p.merged_commits
        ]
        found.sort(key=lambda p: (p.state != "open", -p.number))  # as REST lists them
        return [self.pull(p) for p in found]

    def pull(self, pull: Pull) -> JSON:
        state = self.core.state
        base = self.core.repo(*pull.repo.split("/", 1))
        head = self.core.repo(*pull.head_repo.split("/", 1)) if pull.head_repo is not None else None
        key = (pull.repo, pull.number)
        path = self.core.git_path(pull.repo)

        def commits() -> list[JSON]:
            shas = gitread.commits_between(path, pull.base_sha, pull.head_sha)[:250]
            # one git call for every commit whose author is asked for, not one a commit
            infos = functools.cache(lambda: gitread.commit_infos(path, shas))

            def known(sha: str) -> Callable[[], CommitInfo]:
                return lambda: infos()[sha]

            return [{"commit": self.commit(base, sha, known(sha))} for sha in shas]

        def reviews() -> list[JSON]:
            found = [r for r in state.reviews if (r.repo, r.number) == key]
            return [
                {
                    "databaseId": r.id,
                    "author": self.actor(r.user),
                    "state": r.state,
                    "body": r.body,
                    "commit": self.commit(base, r.commit_id) if r.commit_id else None,
                    "submittedAt": r.submitted_at,
                }
                for r in found
            ]

        def comments() -> list[JSON]:
            found = [c for c in state.comments if (c.repo, c.number) == key]
            return [
                {
                    "databaseId": c.id,
                    "author": self.actor(c.user),
                    "body": c.body,
                    "createdAt": c.created_at,
                }
                for c in found
            ]

        def requests() -> list[JSON]:
            asked = (self.actor(login) for login in pull.requested_reviewers)
            return [{"requestedReviewer": a} for a in asked if a is not None]

        merged = "MERGED" if pull.merged else "CLOSED"
        return {
            "number": pull.number,
            "state": "OPEN" if pull.state == "open" else merged,
            "isDraft": pull.draft,
            "headRefName": pull.head_ref,
            "headRefOid": pull.head_sha,
            "headRepository": self.repository(head) if head is not None else None,
            "baseRefName": pull.base_ref,
            "baseRefOid": pull.base_sha,
            "baseRepository": self.repository(base),
            "author": self.actor(pull.user),
            "reviewRequests": _paged("reviewRequests", requests),
            "reviews": _paged("reviews", reviews),
            "commits": _paged("commits", commits),
            "comments": _paged("comments", comments),
        }

    def _suites(self, repo: Repo, sha: str) -> list[JSON]:
        """One check suite per App on the commit, as GitHub makes them, oldest first."""
        runs = [r for r in self.core.state.check_runs if r.repo == repo.full_name]
        by_app: dict[int, tuple[App, list[CheckRun]]] = {}
        for run in runs:
            if run.head_sha == sha:
                app = app_of(self.core, run.app_id)
                by_app.setdefault(app.id, (app, []))[1].append(run)
        return [self._suite(app, found) for app, found in by_app.values()]

    def _suite(self, app: App, runs: list[CheckRun]) -> JSON:
        def check_runs(_info: object, **args: Any) -> JSON:
            wanted = args.get("filterBy") or {}
            found = [
                r
                for r in sorted(runs, key=lambda r: r.id)
                if wanted.get("checkName") in (None, r.name)
                and wanted.get("status") in (None, r.status.upper())
            ]
            if wanted.get("checkType", "LATEST") == "LATEST":
                newest = {r.name: r for r in found}  # later runs replace earlier ones
                found = sorted(newest.values(), key=lambda r: r.id)
            return connection("checkRuns", [self._run(r) for r in found], args)

        return {"app": {"databaseId": app.id, "slug": app.slug}, "checkRuns": check_runs}

    def _run(self, run: CheckRun) -> JSON:
        return {
            "databaseId": run.id,
            "name": run.name,
            "status": run.status.upper(),
            "conclusion": run.conclusion.upper() if run.conclusion else None,
            "title": run.title,
            "summary": run.summary,
            "text": run.text,
            "annotations": _paged("annotations", lambda: list(run.annotations)),
        }


def _error(error: GraphQLError) -> JSON:
    data: JSON = dict(error.formatted)
    if isinstance(error.original_error, Refused):
        data["type"] = error.original_error.kind
    elif isinstance(error, Refused):
        data["type"] = error.kind
    return data


def answer(core: Core, body: object, login: str | None) -> JSON:
    """The JSON GitHub answers a GraphQL request with (HTTP 200, even for an invalid query)."""
    if login is None:
        raise ApiError(401, "This endpoint requires you to be authenticated.")
    if not isinstance(body, dict) or not isinstance(body.get("query"), str):
        raise ApiError(400, "Problems parsing JSON")
    variables = body.get("variables") or {}
    if not isinstance(variables, dict):
        raise ApiError(400, "Problems parsing JSON")
    try:
        document = parse(body["query"])
    except GraphQLSyntaxError as exc:
        return {"errors": [_error(exc)]}
    problems = validate(schema(), document)
    if problems:
        return {"errors": [_error(p) for p in problems]}
    resolvers = Resolvers(core)

    def repository(_info: object, owner: str, name: str, **_: Any) -> JSON:
        try:
            return resolvers.repository(core.repo(owner, name))
        except ApiError:
            raise Refused(
                f"Could not resolve to a Repository with the name '{owner}/{name}'.", "NOT_FOUND"
            ) from None

    with core.lock:
        result = execute_sync(
            schema(), document, root_value={"repository": repository}, variable_values=variables
        )
    out: JSON = {"data": result.data}
    if result.errors:
        out["errors"] = [_error(e) for e in result.errors]
    return out
