"""Check runs, annotations, statuses, releases and other small objects in GitHub's shapes."""

from __future__ import annotations

from typing import Any

from kfm_bot.emulator import assets
from kfm_bot.emulator.core import Core
from kfm_bot.emulator.shape_pulls import pull_minimal
from kfm_bot.emulator.shape_users import simple_user, user_by_login
from kfm_bot.emulator.skeleton import EPOCH, skeleton
from kfm_bot.emulator.state import App, Artifact, CheckRun, Release, Status, User

JSON = dict[str, Any]


def check_run(core: Core, run: CheckRun) -> JSON:
    api = core.url(f"/repos/{run.repo}/check-runs/{run.id}")
    pulls = [
        p
        for p in core.state.pulls
        if p.repo == run.repo == p.head_repo and p.state == "open" and p.head_sha == run.head_sha
    ]
    return {
        "id": run.id,
        "node_id": f"CR_{run.id}",
        "head_sha": run.head_sha,
        "name": run.name,
        "url": api,
        "html_url": core.html(f"/{run.repo}/runs/{run.id}"),
        "details_url": run.details_url,
        "status": run.status,
        "conclusion": run.conclusion,
        "started_at": run.started_at,
        "completed_at": run.completed_at,
        "external_id": run.external_id,
        "check_suite": {"id": run.id},
        "output": {
            "title": run.title,
            "summary": run.summary,
            "text": run.text,
            "annotations_count": len(run.annotations),
            "annotations_url": f"{api}/annotations",
        },
        "app": run_app(core, run),
        "pull_requests": [pull_minimal(core, p) for p in pulls],
    }


# GitHub Actions' own App: every check run made with a workflow's GITHUB_TOKEN (or, here, any
# token that is not an App's installation token) belongs to it, whichever workflow made it.
ACTIONS_APP = App(15368, "github-actions", "github", "")
_GITHUB = User("github", 9919, "Organization")


def app_of(core: Core, app_id: int | None) -> App:
    """The GitHub App a check run belongs to: the App whose installation token created it,
    else GitHub Actions (a workflow's GITHUB_TOKEN)."""
    return next((a for a in core.state.apps if a.id == app_id), ACTIONS_APP)


def run_app(core: Core, run: CheckRun) -> JSON:
    return app_shape(core, app_of(core, run.app_id))


def app_shape(core: Core, app: App) -> JSON:
    owner = core.find_user(app.owner) or _GITHUB
    data: JSON = skeleton("nullable-integration")
    data.update(
        id=app.id,
        slug=app.slug,
        node_id=f"A_{app.id}",
        name=app.slug,
        owner=simple_user(core, owner),
        description=None,
        external_url=core.html("/"),
        html_url=core.html(f"/apps/{app.slug}"),
        created_at=EPOCH,
        updated_at=EPOCH,
        permissions={"checks": "write"},
        events=[],
    )
    return data


def annotation(core: Core, run: CheckRun, item: JSON) -> JSON:
    return {
        "path": item["path"],
        "start_line": item["start_line"],
        "end_line": item["end_line"],
        "start_column": item.get("start_column"),
        "end_column": item.get("end_column"),
        "annotation_level": item["annotation_level"],
        "title": item.get("title"),
        "message": item["message"],
        "raw_details": item.get("raw_details"),
        "blob_href": core.html(f"/{run.repo}/blob/{run.head_sha}/{item['path']}"),
    }


def status(core: Core, item: Status) -> JSON:
    return {
        "url": core.url(f"/repos/{item.repo}/statuses/{item.sha}"),
        "id": item.id,
        "avatar_url": None,
        "node_id": f"SC_{item.id}",
        "state": item.state,
        "description": item.description,
        "target_url": item.target_url,
        "context": item.context,
        "created_at": item.created_at,
        "updated_at": item.created_at,
        "creator": user_by_login(core, item.creator),
    }


def release(core: Core, item: Release) -> JSON:
    api = core.url(f"/repos/{item.repo}/releases/{item.id}")
    return {
        "url": api,
        "id": item.id,
        "node_id": f"RE_{item.id}",
        "tag_name": item.tag_name,
        "html_url": core.html(f"/{item.repo}/releases/tag/{item.tag_name}"),
        "assets_url": f"{api}/assets",
        "upload_url": f"{api}/assets{{?name,label}}",
        "tarball_url": core.html(f"/{item.repo}/tarball/{item.tag_name}"),
        "zipball_url": core.html(f"/{item.repo}/zipball/{item.tag_name}"),
        "target_commitish": item.target_commitish,
        "name": item.name,
        "body": item.body,
        "draft": item.draft,
        "prerelease": item.prerelease,
        "created_at": item.created_at,
        "published_at": None if item.draft else item.created_at,
        "author": user_by_login(core, item.author),
        "assets": [assets.shape(core, item, a) for a in item.assets],
    }


def artifact(core: Core, item: Artifact) -> JSON:
    api = core.url(f"/repos/{item.repo}/actions/artifacts/{item.id}")
    return {
        "id": item.id,
        "node_id": f"AR_{item.id}",
        "name": item.name,
        "size_in_bytes": item.size_in_bytes,
        "url": api,
        "archive_download_url": f"{api}/zip",
        "expired": False,
        "created_at": EPOCH,
        "expires_at": "2099-01-01T00:00:00Z",
        "updated_at": EPOCH,
    }


def rate_limit() -> JSON:
    rate = {"limit": 5000, "remaining": 4999, "reset": 4102444800, "used": 1}
    return {"rate": rate, "resources": {"core": rate, "search": rate}}


def team_member(core: Core, user: User) -> JSON:
    return simple_user(core, user)
