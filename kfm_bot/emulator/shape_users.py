"""Users, teams members and repositories in GitHub's JSON shapes."""

from __future__ import annotations

from typing import Any

from kfm_bot.emulator.core import Core
from kfm_bot.emulator.skeleton import EPOCH, skeleton
from kfm_bot.emulator.state import Repo, User

JSON = dict[str, Any]


def simple_user(core: Core, user: User, schema: str = "simple-user") -> JSON:
    data: JSON = skeleton(schema) or skeleton("simple-user")
    base = core.url(f"/users/{user.login}")
    data.update(
        login=user.login,
        id=user.id,
        node_id=f"U_{user.id}",
        type=user.type,
        site_admin=False,
        url=base,
        html_url=core.html(f"/{user.login}"),
        avatar_url=core.html(f"/{user.login}.png"),
        gravatar_id="",
        followers_url=f"{base}/followers",
        repos_url=f"{base}/repos",
        following_url=f"{base}/following{{/other_user}}",
        gists_url=f"{base}/gists{{/gist_id}}",
        starred_url=f"{base}/starred{{/owner}}{{/repo}}",
        events_url=f"{base}/events{{/privacy}}",
        subscriptions_url=f"{base}/subscriptions",
        organizations_url=f"{base}/orgs",
        received_events_url=f"{base}/received_events",
        user_view_type="public",
    )
    return data


def user_by_login(core: Core, login: str | None) -> JSON | None:
    found = core.find_user(login) if login else None
    if found is None:
        return None
    return simple_user(core, found)


def full_user(core: Core, user: User, private: bool) -> JSON:
    data: JSON = skeleton("private-user" if private else "public-user")
    data.update(simple_user(core, user))
    data.update(name=user.login, created_at=EPOCH, updated_at=EPOCH)
    data["user_view_type"] = "private" if private else "public"
    return data


def repository(core: Core, repo: Repo, schema: str = "repository") -> JSON:
    data: JSON = skeleton(schema)
    api = core.url(f"/repos/{repo.full_name}")
    owner = core.find_user(repo.owner) or User(repo.owner, 1, "Organization")
    data.update(
        id=repo.id,
        node_id=f"R_{repo.id}",
        name=repo.name,
        full_name=repo.full_name,
        owner=simple_user(core, owner),
        private=False,
        fork=repo.fork_of is not None,
        url=api,
        html_url=core.html(f"/{repo.full_name}"),
        default_branch=repo.default_branch,
        clone_url=str(core.git_path(repo.full_name)),
        git_url=str(core.git_path(repo.full_name)),
        pulls_url=f"{api}/pulls{{/number}}",
        issues_url=f"{api}/issues{{/number}}",
        created_at=EPOCH,
        updated_at=EPOCH,
        pushed_at=EPOCH,
        visibility="public",
    )
    if schema == "full-repository":
        data.update(network_count=0, subscribers_count=0)
    return data
