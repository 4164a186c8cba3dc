"""GitHub App endpoints: the App itself, its installation on a repository, installation tokens."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from kfm_bot.emulator.app_auth import bot_login, find_app
from kfm_bot.emulator.call import Call
from kfm_bot.emulator.core import ApiError, Core
from kfm_bot.emulator.routes import Routes
from kfm_bot.emulator.shape_checks import app_shape
from kfm_bot.emulator.skeleton import EPOCH, skeleton
from kfm_bot.emulator.state import App, Installation, User

ROUTES = Routes()  # composed with the other handler modules' in endpoints.py
TOKEN_LIFETIME = datetime.timedelta(hours=1)
PERMISSIONS = {"checks": "write", "contents": "write", "pull_requests": "write", "issues": "write"}


def _app(call: Call) -> App:
    """The App a JWT authenticated; installation and personal tokens may not call these."""
    if call.jwt_app is None:
        raise ApiError(
            401, "A JSON web token could not be decoded"
        )  # GitHub's answer to a token where a JWT is needed
    app = find_app(call.core, call.jwt_app)
    if app is None:
        raise ApiError(401, "Integration not found")
    return app


def installation_shape(core: Core, app: App, inst: Installation) -> dict[str, Any]:
    from kfm_bot.emulator.shape_users import simple_user

    data: dict[str, Any] = skeleton("installation")
    # An account the emulator has no user for (an organisation) is shown as one.
    account = core.find_user(inst.account) or User(inst.account, inst.id, "Organization")
    data.update(
        id=inst.id,
        app_id=app.id,
        app_slug=app.slug,
        target_id=account.id,
        target_type="Organization" if account.type == "Organization" else "User",
        repository_selection="all",
        access_tokens_url=core.url(f"/app/installations/{inst.id}/access_tokens"),
        repositories_url=core.url("/installation/repositories"),
        html_url=core.html(f"/settings/installations/{inst.id}"),
        permissions=dict(PERMISSIONS),
        events=["check_run", "pull_request", "pull_request_review", "push"],
        created_at=EPOCH,
        updated_at=EPOCH,
        single_file_name=None,
        suspended_by=None,
        suspended_at=None,
        account=simple_user(core, account),
    )
    return data


@ROUTES.add("GET", "/app")
def get_app(call: Call) -> tuple[int, Any]:
    return 200, app_shape(call.core, _app(call))


@ROUTES.add("GET", "/repos/{owner}/{repo}/installation")
def repo_installation(call: Call) -> tuple[int, Any]:
    app = _app(call)
    repo = call.repo()
    for inst in call.core.state.installations:
        if inst.app_id == app.id and inst.account.lower() == repo.owner.lower():
            return 200, installation_shape(call.core, app, inst)
    raise ApiError(404, "Not Found")


@ROUTES.add("POST", "/app/installations/{installation_id}/access_tokens")
def access_token(call: Call) -> tuple[int, Any]:
    app = _app(call)
    wanted = call.int_param("installation_id")
    inst = next((i for i in call.core.state.installations if i.id == wanted), None)
    if inst is None or inst.app_id != app.id:
        raise ApiError(404, "Not Found")
    token = "ghs_app" + secrets.token_hex(18)
    call.core.state.tokens[token] = bot_login(app)
    call.core.state.app_tokens[token] = app.id
    expires = datetime.datetime.now(datetime.UTC) + TOKEN_LIFETIME
    return 201, {
        "token": token,
        "expires_at": expires.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "permissions": dict(PERMISSIONS),
        "repository_selection": "all",
    }
