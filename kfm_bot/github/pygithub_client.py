"""The only module that imports PyGithub: the GitHubClient over it, with bounded retries."""

from __future__ import annotations

import functools
import io
import secrets
from collections.abc import Callable, Mapping
from typing import Any, TypeAlias, TypeVar
from urllib.parse import quote

import github
import jwt
import requests

from kfm_bot.errors import UsageError
from kfm_bot.github import convert
from kfm_bot.github import head_snapshot as graphql_head
from kfm_bot.github.identity import sort_runs
from kfm_bot.github.interface import (
    ACTIONS,
    BotIdentity,
    CheckOutput,
    CheckRun,
    Comment,
    Commit,
    Forged,
    GitHubClient,
    GitHubError,
    HeadSnapshot,
    NotFound,
    Pull,
    PullSnapshot,
    Release,
    Review,
    User,
)
from kfm_bot.github.retry import GaveUp, RetryPolicy, call_with_retries, scrub
from kfm_bot.github.transient import classify, header

T = TypeVar("T")
# GitHub's JSON as it enters, before `convert` reads it into records (its TypedDicts name the
# fields read): the one place this module holds an unvalidated document.
_Raw: TypeAlias = Any
MAX_PAGES = 30  # 3,000 items: far beyond any real PR's reviews or commits


class PyGithubClient(GitHubClient):
    """GitHubClient over PyGithub's requester: raw JSON in, plain records out, one retry loop."""

    def __init__(
        self,
        token: str,
        repo: str,
        api_url: str = "https://api.github.com",
        policy: RetryPolicy | None = None,
        timeout: int = 30,
        identity: BotIdentity = ACTIONS,
    ) -> None:
        self.repo = repo
        self.identity = identity
        self._forged: dict[int, Forged] = {}
        self._token = token
        self._policy = policy or RetryPolicy()
        self._gh = github.Github(
            auth=github.Auth.Token(token) if token else None,
            base_url=api_url.rstrip("/"),
            timeout=timeout,
            retry=None,  # our own loop retries: PyGithub's would hide attempts and time
            seconds_between_requests=None,
            seconds_between_writes=None,
            per_page=100,
        )
        self._prefix = f"/repos/{repo}"
        # Annotations each check run carried when last seen: GitHub adds a PATCH's annotations
        # to the run, so a retried PATCH checks whether its batch already landed.
        self._notes: dict[int, int] = {}

    # plumbing --------------------------------------------------------------------------
    def _call(
        self,
        verb: str,
        path: str,
        func: Callable[[], T],
        recover: Callable[[], T | None] | None = None,
    ) -> T:
        try:
            return call_with_retries(func, classify, self._policy, recover=recover)
        except GaveUp as exc:
            raise GitHubError(
                f"GitHub did not answer {verb} {path} after {exc.attempts} attempt(s) "
                f"({exc.last.what}); try again later"
            ) from None
        except github.GithubException as exc:
            raise self._refused(verb, path, exc) from None
        except requests.exceptions.RequestException as exc:
            text = scrub(type(exc).__name__, (self._token,))
            raise GitHubError(f"cannot reach GitHub for {verb} {path} ({text})") from None

    def _refused(self, verb: str, path: str, exc: github.GithubException) -> GitHubError:
        data = exc.data if isinstance(exc.data, dict) else {}
        errors = data.get("errors")  # a GraphQL answer: the first error says why
        first = errors[0] if isinstance(errors, list) and errors else None
        message = first.get("message", "") if isinstance(first, dict) else data.get("message", "")
        said = scrub(str(message)[:200], (self._token,))
        cls = NotFound if exc.status == 404 else GitHubError
        return cls(f"GitHub refused {verb} {path} with status {exc.status}: {said}", exc.status)

    def _json(
        self,
        verb: str,
        path: str,
        body: Mapping[str, object] | None = None,
        params: dict[str, str] | None = None,
        recover: Callable[[], _Raw | None] | None = None,
    ) -> _Raw:
        """One request; `recover` makes a retried non-idempotent write look before it repeats."""
        req = self._gh.requester

        def once() -> _Raw:
            return req.requestJsonAndCheck(verb, path, parameters=params, input=body)[1]

        return self._call(verb, path, once, recover)

    def _seen(self, data: convert.CheckRunJSON) -> CheckRun:
        run = convert.check_run(data)
        self._notes[run.id] = run.annotations_count
        return run

    def _paged(
        self, path: str, key: str | None = None, params: Mapping[str, str] | None = None
    ) -> list[_Raw]:
        req = self._gh.requester
        items: list[_Raw] = []
        url: str | None = path
        query: dict[str, object] | None = {"per_page": 100, **(params or {})}
        for _ in range(MAX_PAGES):
            if url is None:
                break
            once = functools.partial(req.requestJsonAndCheck, "GET", url, parameters=query)
            headers, data = self._call("GET", path, once)
            items.extend(data[key] if key else data)
            url, query = convert.next_link(header(headers, "link")), None
        return items

    # reads -----------------------------------------------------------------------------
    def get_pull(self, number: int) -> Pull:
        return convert.pull(self._json("GET", f"{self._prefix}/pulls/{number}"))

    def pulls_for_commit(self, sha: str) -> list[Pull]:
        data = self._paged(f"{self._prefix}/commits/{quote(sha)}/pulls")
        return [convert.pull(p) for p in data if p.get("state") == "open"]

    def pulls_with_commit(self, sha: str) -> list[Pull]:
        return [convert.pull(p) for p in self._paged(f"{self._prefix}/commits/{quote(sha)}/pulls")]

    def get_release_by_tag(self, tag: str) -> Release:
        return _release(self._json("GET", f"{self._prefix}/releases/tags/{quote(tag, safe='')}"))

    def recent_releases(self, count: int) -> list[Release]:
        # One page on purpose: GitHub lists newest first, and only the recent ones matter.
        params = {"per_page": str(max(1, min(count, 100)))}
        return [_release(r) for r in self._json("GET", f"{self._prefix}/releases", params=params)]

    def get_user(self, login: str) -> User:
        path = f"/users/{quote(login, safe='')}"
        found = convert.user(self._json("GET", path))
        if found is None or found.id is None:
            raise GitHubError(f"GitHub answered GET {path} without an account id")
        return found

    def list_open_pulls(self) -> list[Pull]:
        data = self._paged(f"{self._prefix}/pulls", params={"state": "open"})
        return [convert.pull(p) for p in data]

    def list_reviews(self, number: int) -> list[Review]:
        return [convert.review(r) for r in self._paged(f"{self._prefix}/pulls/{number}/reviews")]

    def list_pull_commits(self, number: int) -> list[Commit]:
        return [convert.commit(c) for c in self._paged(f"{self._prefix}/pulls/{number}/commits")]

    def list_issue_comments(self, number: int) -> list[Comment]:
        path = f"{self._prefix}/issues/{number}/comments"
        return [convert.comment(c) for c in self._paged(path)]

    def list_check_runs(self, sha: str, name: str | None = None) -> list[CheckRun]:
        # filter=all: duplicates an interrupted run left must be seen to be cleaned up.
        params = {"filter": "all", **({"check_name": name} if name else {})}
        path = f"{self._prefix}/commits/{quote(sha)}/check-runs"
        runs = [self._seen(c) for c in self._paged(path, "check_runs", params)]
        kept, forged = sort_runs(runs, self.identity)
        self._forged.update({f.run_id: f for f in forged})
        return kept

    def head_snapshot(self, sha: str) -> HeadSnapshot:
        """One `POST /graphql` (graphql_head.QUERY) for what REST reads in 2 + 3 per PR.

        Correct first, economical in the common case: a piece GitHub has more than one page
        of (over 100 check runs, reviews, commits or comments) is listed over REST instead, and
        so are the PRs when the commit's own listing knows none with this head (a commit only a
        fork holds) or more than 100. Check runs of other Apps under the bot's names are left
        out and kept for `forged_runs`, as `list_check_runs` does.
        """
        page, runs = self._snapshot_page(sha)
        if page.pulls and page.pulls_complete:
            pulls = tuple(self._filled(p) for p in page.pulls)
        else:  # none listed (a fork's head) or more than one page of them
            listed = [] if page.pulls_complete else self.pulls_for_commit(sha)
            pulls = tuple(
                self._filled(graphql_head.PullPage(p, None, None, None))
                for p in self.open_pulls_with_head(sha, listed)
            )
        return HeadSnapshot(sha, pulls, tuple(runs))

    def pull_snapshot(self, pull: Pull) -> HeadSnapshot:
        """One `POST /graphql` (graphql_head.PULL_QUERY) for a pull request of any state, by its
        number (promotion's merged PR, squashed or rebased too), and its head's check runs. A
        piece cut at its first page is listed over REST, as `head_snapshot` does."""
        page, runs = self._snapshot_page(pull.head_sha, pull.number)
        (mine,) = page.pulls
        # The caller's Pull stays the record (REST's merge facts); the query adds the pieces.
        read = graphql_head.PullPage(pull, mine.reviews, mine.commits, mine.comments)
        return HeadSnapshot(pull.head_sha, (self._filled(read),), tuple(runs))

    def _snapshot_page(
        self, sha: str, number: int | None = None
    ) -> tuple[graphql_head.SnapshotPage, list[CheckRun]]:
        """The query's page for `sha`, and the commit's check runs as `list_check_runs` keeps
        them (listed over REST when the page cut them)."""
        owner, name = self.repo.split("/", 1)
        req = self._gh.requester
        from kfm_bot.github.check_runs import GATES_CHECK  # the app has loaded it already

        # the only run the bot adds annotations to: a re-run needs how many it carries
        annotated = GATES_CHECK
        variables: dict[str, object] = {
            "owner": owner,
            "name": name,
            "sha": sha,
            "annotated": annotated,
        }
        query = graphql_head.QUERY
        if number is not None:  # one pull request by its number: PULL_QUERY
            variables["number"], query = number, graphql_head.PULL_QUERY

        def once() -> _Raw:
            return req.graphql_query(query, variables)[1]

        answer = self._call("POST", "/graphql", once)
        if number is None:
            page = graphql_head.parse(answer, self.repo, sha, annotated)
        else:
            page = graphql_head.parse_pull(answer, self.repo, sha, number, annotated)
        if page.runs is None:
            return page, self.list_check_runs(sha)
        for run in page.runs:
            self._notes[run.id] = run.annotations_count
        runs, forged = sort_runs(page.runs, self.identity)
        self._forged.update({f.run_id: f for f in forged})
        return page, runs

    def _filled(self, page: graphql_head.PullPage) -> PullSnapshot:
        """A PR's snapshot, each piece GitHub cut at its first page listed over REST."""
        number = page.pull.number
        return PullSnapshot(
            page.pull,
            page.reviews if page.reviews is not None else tuple(self.list_reviews(number)),
            page.commits if page.commits is not None else tuple(self.list_pull_commits(number)),
            page.comments if page.comments is not None else tuple(self.list_issue_comments(number)),
        )

    def forged_runs(self) -> list[Forged]:
        return sorted(self._forged.values(), key=lambda f: f.run_id)

    def rate_limit_remaining(self) -> int:
        return int(self._json("GET", "/rate_limit")["resources"]["core"]["remaining"])

    # writes ----------------------------------------------------------------------------
    # Each non-idempotent write passes `recover`: after a lost answer it finds what the
    # request made (by a marker only this call knows) instead of making a second one.
    def create_check_run(
        self, sha: str, name: str, status: str, output: CheckOutput, conclusion: str | None = None
    ) -> CheckRun:
        marker = f"kfm-bot:{secrets.token_hex(12)}"
        body = convert.check_body(status, output, conclusion) | {
            "name": name,
            "head_sha": sha,
            "external_id": marker,
        }
        listing = f"{self._prefix}/commits/{quote(sha)}/check-runs"

        def made() -> convert.CheckRunJSON | None:
            params = {"check_name": name, "filter": "all"}
            found = self._paged(listing, "check_runs", params)
            return next((c for c in found if c.get("external_id") == marker), None)

        return self._seen(self._json("POST", f"{self._prefix}/check-runs", body, recover=made))

    def update_check_run(
        self, run_id: int, status: str, output: CheckOutput, conclusion: str | None = None
    ) -> CheckRun:
        body = convert.check_body(status, output, conclusion)
        path = f"{self._prefix}/check-runs/{run_id}"
        recover = None
        before = self._notes.get(run_id)
        if output.annotations and before is not None:  # without annotations a PATCH repeats safely

            def landed() -> convert.CheckRunJSON | None:
                data = self._json("GET", path)
                count = int((data.get("output") or {}).get("annotations_count") or 0)
                return data if count >= before + len(output.annotations) else None

            recover = landed
        return self._seen(self._json("PATCH", path, body, recover=recover))

    def create_issue_comment(self, number: int, body: str) -> Comment:
        path = f"{self._prefix}/issues/{number}/comments"
        return convert.comment(self._json("POST", path, {"body": body}))

    def request_reviewers(self, number: int, logins: list[str]) -> None:
        # Idempotent on GitHub's side (asking again keeps one request), so a retry after a lost
        # answer needs no look-up first.
        path = f"{self._prefix}/pulls/{number}/requested_reviewers"
        self._json("POST", path, {"reviewers": logins})

    def edit_issue_comment(self, comment_id: int, body: str) -> Comment:
        path = f"{self._prefix}/issues/comments/{comment_id}"
        return convert.comment(self._json("PATCH", path, {"body": body}))

    def create_tag(self, tag: str, message: str, sha: str, tagger: dict[str, str]) -> str:
        # The tag object is content-addressed (a repeat makes the same object); its ref is not.
        body = {"tag": tag, "message": message, "object": sha, "type": "commit", "tagger": tagger}
        tag_sha = str(self._json("POST", f"{self._prefix}/git/tags", body)["sha"])
        ref = f"{self._prefix}/git/ref/tags/{quote(tag, safe='')}"

        def made() -> _Raw | None:
            try:
                data = self._json("GET", ref)
            except NotFound:
                return None
            return data if (data.get("object") or {}).get("sha") == tag_sha else None

        body = {"ref": f"refs/tags/{tag}", "sha": tag_sha}
        self._json("POST", f"{self._prefix}/git/refs", body, recover=made)
        return tag_sha

    def create_release(self, tag: str, name: str, body: str) -> int:
        return self.make_release(tag, name, body).id

    def make_release(self, tag: str, name: str, body: str) -> Release:
        data = {"tag_name": tag, "name": name, "body": body}

        def made() -> _Raw | None:
            try:
                return self._json("GET", f"{self._prefix}/releases/tags/{quote(tag, safe='')}")
            except NotFound:
                return None

        return _release(self._json("POST", f"{self._prefix}/releases", data, recover=made))

    def upload_asset(self, release: Release, name: str, data: bytes, content_type: str) -> None:
        req = self._gh.requester
        headers = {"Content-Type": content_type, "Content-Length": str(len(data))}

        def once() -> tuple[object, object]:
            # a fresh body each attempt: a retry must send every byte again
            body = io.BytesIO(data)
            params = {"name": name, "label": ""}
            return req.requestMemoryBlobAndCheck("POST", release.upload_url, params, headers, body)

        def made() -> tuple[object, object] | None:  # the answer is not read
            try:
                again = self.get_release_by_tag(release.tag)
            except NotFound:
                return None
            return (200, {}) if name in again.assets else None

        self._call("POST", f"{self._prefix}/releases/{release.id}/assets", once, made)


def _release(data: Any) -> Release:
    names = tuple(str(a["name"]) for a in data.get("assets") or [])
    upload = str(data.get("upload_url") or "").split("{?")[0]
    return Release(int(data["id"]), str(data["tag_name"]), names, upload)


def app_client(
    app_id: str,
    private_key: str,
    repo: str,
    api_url: str = "https://api.github.com",
    policy: RetryPolicy | None = None,
) -> PyGithubClient:
    """A client acting as the bot's GitHub App: an installation token for `repo`'s account,
    minted with a JWT signed by the App's private key (PyGithub's AppAuth). Two requests:
    the repository's installation (which names the App), then the token.

    Neither the key nor the token appears in an error: the key never leaves PyGithub's JWT
    signing, and a refusal quotes only GitHub's message, scrubbed.
    """
    owner, _, name = repo.partition("/")
    try:
        number = int(app_id)
    except ValueError:
        raise UsageError("KFM_APP_ID must be the GitHub App's numeric id") from None
    try:
        auth = github.Auth.AppAuth(number, private_key)
        auth.create_jwt()  # a key that cannot sign fails here, before any request
    except (ValueError, TypeError, jwt.PyJWTError):
        raise UsageError("KFM_APP_PRIVATE_KEY is not a PEM-encoded RSA private key") from None
    integration = github.GithubIntegration(
        auth=auth, base_url=api_url.rstrip("/"), retry=None, timeout=30
    )
    retries = policy or RetryPolicy()

    def mint() -> tuple[str, BotIdentity]:
        installation = integration.get_repo_installation(owner, name)
        token = integration.get_access_token(installation.id).token
        return token, BotIdentity(int(installation.app_id), str(installation.app_slug), True)

    try:
        token, identity = call_with_retries(mint, classify, retries)
    except GaveUp as exc:
        raise GitHubError(
            f"GitHub did not answer the App's token request after {exc.attempts} attempt(s) "
            f"({exc.last.what}); try again later"
        ) from None
    except github.GithubException as exc:
        data = exc.data if isinstance(exc.data, dict) else {}
        said = scrub(str(data.get("message", ""))[:200])
        raise GitHubError(
            f"GitHub refused to mint an installation token for App {number} on {repo} "
            f"(status {exc.status}: {said}); check KFM_APP_ID, KFM_APP_PRIVATE_KEY and that "
            "the App is installed on the repository",
            exc.status,
        ) from None
    except requests.exceptions.RequestException as exc:
        what = type(exc).__name__
        raise GitHubError(f"cannot reach GitHub to mint the App's token ({what})") from None
    return PyGithubClient(token, repo, api_url, retries, identity=identity)
