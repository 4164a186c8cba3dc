"""Handlers for users, teams, repositories, collaborators, releases, statuses and rate limits."""

from __future__ import annotations

from typing import Any

from kfm_bot.emulator import gitcmd, shape_checks, shape_users
from kfm_bot.emulator.call import Call, permission
from kfm_bot.emulator.core import ApiError, now_iso
from kfm_bot.emulator.routes import Routes
from kfm_bot.emulator.state import Release, Status

ROUTES = Routes()  # composed with the other handler modules' in endpoints.py


@ROUTES.add("GET", "/user")
def get_user(call: Call) -> tuple[int, Any]:
    user = call.core.user(call.require_login())
    return 200, shape_users.full_user(call.core, user, private=True)


@ROUTES.add("GET", "/users/{username}")
def get_user_by_name(call: Call) -> tuple[int, Any]:
    return 200, shape_users.full_user(call.core, call.core.user(call.params["username"]), False)


@ROUTES.add("GET", "/rate_limit")
def rate_limit(call: Call) -> tuple[int, Any]:
    return 200, shape_checks.rate_limit()


@ROUTES.add("GET", "/orgs/{org}/teams/{team_slug}/members", paginated=True)
def team_members(call: Call) -> tuple[int, Any]:
    org, slug = call.params["org"].lower(), call.params["team_slug"].lower()
    team = next(
        (t for t in call.core.state.teams if (t.org.lower(), t.slug.lower()) == (org, slug)), None
    )
    if team is None:
        raise ApiError(404, "Not Found")
    users = [call.core.user(login) for login in team.members]
    return 200, [shape_checks.team_member(call.core, u) for u in users]


@ROUTES.add("GET", "/repos/{owner}/{repo}")
def get_repo(call: Call) -> tuple[int, Any]:
    return 200, shape_users.repository(call.core, call.repo(), "full-repository")


@ROUTES.add("GET", "/repos/{owner}/{repo}/collaborators/{username}/permission")
def collaborator_permission(call: Call) -> tuple[int, Any]:
    repo, user = call.repo(), call.core.user(call.params["username"])
    level = permission(call.core, repo, user.login)
    collaborator = shape_users.simple_user(call.core, user, "nullable-collaborator")
    collaborator["role_name"] = level
    collaborator["permissions"] = {
        "admin": level == "admin",
        "maintain": level == "admin",
        "push": level in ("admin", "write"),
        "triage": level in ("admin", "write"),
        "pull": True,
    }
    return 200, {"permission": level, "role_name": level, "user": collaborator}


@ROUTES.add("GET", "/repos/{owner}/{repo}/actions/runs/{run_id}/artifacts")
def artifacts(call: Call) -> tuple[int, Any]:
    repo, run_id = call.repo(), call.int_param("run_id")
    name = call.query.get("name")
    found = [
        a
        for a in call.core.state.artifacts
        if a.repo == repo.full_name and a.run_id == run_id and (name is None or a.name == name)
    ]
    page = call.page(found)
    return 200, {
        "total_count": len(found),
        "artifacts": [shape_checks.artifact(call.core, a) for a in page],
    }


@ROUTES.add("POST", "/repos/{owner}/{repo}/statuses/{sha}")
def create_status(call: Call) -> tuple[int, Any]:
    repo = call.repo()
    login = call.require_write(repo)
    sha = gitcmd.resolve_ref(call.core.git_path(repo.full_name), call.params["sha"])
    if sha is None:
        raise ApiError(422, "No commit found for SHA: " + call.params["sha"])
    item = Status(
        repo.full_name,
        sha,
        call.core.state.new_id(),
        call.body["state"],
        call.body.get("context") or "default",
        call.body.get("description"),
        call.body.get("target_url"),
        login,
        now_iso(),
    )
    call.core.state.statuses.append(item)
    return 201, shape_checks.status(call.core, item)


@ROUTES.add("GET", "/repos/{owner}/{repo}/releases", paginated=True)
def list_releases(call: Call) -> tuple[int, Any]:
    repo = call.repo()
    found = [r for r in call.core.state.releases if r.repo == repo.full_name]
    return 200, [shape_checks.release(call.core, r) for r in reversed(found)]


@ROUTES.add("GET", "/repos/{owner}/{repo}/releases/tags/{tag}")
def release_by_tag(call: Call) -> tuple[int, Any]:
    repo = call.repo()
    for item in call.core.state.releases:
        if item.repo == repo.full_name and item.tag_name == call.params["tag"]:
            return 200, shape_checks.release(call.core, item)
    raise ApiError(404, "Not Found")


@ROUTES.add("POST", "/repos/{owner}/{repo}/releases")
def create_release(call: Call) -> tuple[int, Any]:
    repo = call.repo()
    login = call.require_write(repo)
    tag, body = call.body["tag_name"], call.body
    path = call.core.git_path(repo.full_name)
    if any(r.repo == repo.full_name and r.tag_name == tag for r in call.core.state.releases):
        raise ApiError(
            422,
            "Validation Failed",
            [{"resource": "Release", "code": "already_exists", "field": "tag_name"}],
        )
    target = body.get("target_commitish") or repo.default_branch
    if gitcmd.rev_parse(path, f"refs/tags/{tag}") is None:
        sha = gitcmd.resolve_ref(path, target)
        if sha is None:
            raise ApiError(
                422,
                "Validation Failed",
                [{"resource": "Release", "code": "invalid", "field": "target_commitish"}],
            )
        gitcmd.update_ref(path, f"refs/tags/{tag}", sha)
    item = Release(
        repo.full_name,
        call.core.state.new_id(),
        tag,
        target,
        body.get("name"),
        body.get("body"),
        bool(body.get("draft")),
        bool(body.get("prerelease")),
        login,
        now_iso(),
    )
    call.core.state.releases.append(item)
    return 201, shape_checks.release(call.core, item)
