"""Handlers for pull requests, their reviews, commits and files, and the pulls of a commit."""

from __future__ import annotations

from typing import Any

from kfm_bot.emulator import gitcmd, gitread, shape_git, shape_pulls, shape_talk
from kfm_bot.emulator.call import Call
from kfm_bot.emulator.core import ApiError, now_iso
from kfm_bot.emulator.routes import Routes
from kfm_bot.emulator.state import Pull, Review

ROUTES = Routes()  # composed with the other handler modules' in endpoints.py

_EVENTS = {"APPROVE": "APPROVED", "REQUEST_CHANGES": "CHANGES_REQUESTED", "COMMENT": "COMMENTED"}


def _pull(call: Call) -> Pull:
    return call.core.pull(call.repo(), call.int_param("pull_number"))


@ROUTES.add("GET", "/repos/{owner}/{repo}/pulls", paginated=True)
def list_pulls(call: Call) -> tuple[int, Any]:
    pulls = call.core.pulls_of(call.repo())
    state = call.query.get("state", "open")
    if state != "all":
        pulls = [p for p in pulls if p.state == state]
    if "head" in call.query:
        owner, _, ref = call.query["head"].partition(":")
        pulls = [
            p
            for p in pulls
            if p.head_ref == ref and (p.head_repo or "").split("/")[0].lower() == owner.lower()
        ]
    if "base" in call.query:
        pulls = [p for p in pulls if p.base_ref == call.query["base"]]
    newest_first = call.query.get("direction", "desc") == "desc"
    pulls = sorted(pulls, key=lambda p: p.number, reverse=newest_first)
    return 200, [shape_pulls.pull_simple(call.core, p) for p in pulls]


@ROUTES.add("GET", "/repos/{owner}/{repo}/pulls/{pull_number}")
def get_pull(call: Call) -> tuple[int, Any]:
    pull = _pull(call)
    data = shape_pulls.pull_full(call.core, pull)
    path = call.core.git_path(pull.repo)
    base = gitread.merge_base(path, pull.base_sha, pull.head_sha) or pull.base_sha
    files = gitread.diff_files(path, base, pull.head_sha)
    data.update(
        commits=len(gitread.commits_between(path, pull.base_sha, pull.head_sha)),
        changed_files=len(files),
        additions=sum(f.additions for f in files),
        deletions=sum(f.deletions for f in files),
        comments=sum(
            1 for c in call.core.state.comments if (c.repo, c.number) == (pull.repo, pull.number)
        ),
    )
    return 200, data


@ROUTES.add("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/commits", paginated=True)
def pull_commits(call: Call) -> tuple[int, Any]:
    pull = _pull(call)
    path = call.core.git_path(pull.repo)
    shas = gitread.commits_between(path, pull.base_sha, pull.head_sha)[:250]
    infos = [gitread.commit_info(path, sha) for sha in shas]
    return 200, [shape_git.commit(call.core, pull.repo, info, None) for info in infos]


@ROUTES.add("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/files", paginated=True)
def pull_files(call: Call) -> tuple[int, Any]:
    pull = _pull(call)
    path = call.core.git_path(pull.repo)
    base = gitread.merge_base(path, pull.base_sha, pull.head_sha) or pull.base_sha
    files = gitread.diff_files(path, base, pull.head_sha)[:3000]
    return 200, [shape_git.diff_entry(call.core, pull.repo, pull.head_sha, f) for f in files]


@ROUTES.add("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/comments", paginated=True)
def review_comments(call: Call) -> tuple[int, Any]:
    _pull(call)  # line comments on diffs are not modelled: the bot never reads them
    return 200, []


@ROUTES.add("POST", "/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers")
def request_reviewers(call: Call) -> tuple[int, Any]:
    pull = _pull(call)
    call.require_write(call.repo())
    for login in call.body.get("reviewers", []):
        call.core.user(login)
        if login not in pull.requested_reviewers:
            pull.requested_reviewers.append(login)
    pull.requested_teams.extend(
        t for t in call.body.get("team_reviewers", []) if t not in pull.requested_teams
    )
    return 201, shape_pulls.pull_simple(call.core, pull)


@ROUTES.add("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews", paginated=True)
def list_reviews(call: Call) -> tuple[int, Any]:
    pull = _pull(call)
    found = [r for r in call.core.state.reviews if (r.repo, r.number) == (pull.repo, pull.number)]
    return 200, [shape_talk.review(call.core, r) for r in found]


@ROUTES.add("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}")
def get_review(call: Call) -> tuple[int, Any]:
    pull, review_id = _pull(call), call.int_param("review_id")
    for item in call.core.state.reviews:
        if (item.repo, item.number, item.id) == (pull.repo, pull.number, review_id):
            return 200, shape_talk.review(call.core, item)
    raise ApiError(404, "Not Found")


@ROUTES.add("POST", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews")
def create_review(call: Call) -> tuple[int, Any]:
    pull = _pull(call)
    login = call.require_login()
    if login.lower() == pull.user.lower() and call.body.get("event") in (
        "APPROVE",
        "REQUEST_CHANGES",
    ):
        raise ApiError(422, "Unprocessable Entity", ["Can not approve your own pull request"])
    event = call.body.get("event")
    item = Review(
        pull.repo,
        pull.number,
        call.core.state.new_id(),
        login,
        _EVENTS.get(event or "", "PENDING"),
        call.body.get("body", ""),
        call.body.get("commit_id") or pull.head_sha,
        now_iso(),
    )
    call.core.state.reviews.append(item)
    if item.state != "PENDING" and login in pull.requested_reviewers:
        pull.requested_reviewers.remove(login)  # as on GitHub: the review fulfils the request
    return 200, shape_talk.review(call.core, item)


@ROUTES.add("GET", "/repos/{owner}/{repo}/commits/{commit_sha}/pulls", paginated=True)
def pulls_of_commit(call: Call) -> tuple[int, Any]:
    repo = call.repo()
    path = call.core.git_path(repo.full_name)
    sha = gitcmd.resolve_ref(path, call.params["commit_sha"])
    if sha is None:
        raise ApiError(422, f"No commit found for SHA: {call.params['commit_sha']}")
    found = [
        p
        for p in call.core.pulls_of(repo)
        if p.head_sha == sha or p.merge_commit_sha == sha or sha in p.merged_commits
    ]
    found.sort(key=lambda p: (p.state != "open", -p.number))
    return 200, [shape_pulls.pull_simple(call.core, p) for p in found]
