"""GitHub App authentication as GitHub does it: an RS256 JWT signed with the App's private key.

GitHub's rules (docs "Generating a JSON Web Token for a GitHub App"): the `iss` claim names the
App, `iat` may not lie in the future (60 s of clock drift allowed), `exp` must lie in the
future and no more than 10 minutes ahead. A JWT only reaches the `/app` endpoints; with it the
App mints installation tokens, which act as the App's bot account `<slug>[bot]`.
"""

from __future__ import annotations

import time

from kfm_bot.emulator.core import ApiError, Core
from kfm_bot.emulator.state import App

DRIFT = 60  # seconds a JWT's `iat` may run ahead of the server's clock
MAX_LIFETIME = 600  # GitHub refuses a JWT whose `exp` is more than 10 minutes away


def looks_like_jwt(token: str) -> bool:
    return token.count(".") == 2 and token.startswith("ey")


def verify_jwt(core: Core, token: str) -> App:
    """The App a JWT authenticates, or 401 with GitHub's wording."""
    import jwt

    try:
        claims = jwt.decode(token, options={"verify_signature": False})
        app = find_app(core, int(claims.get("iss", "")))
    except (jwt.PyJWTError, ValueError, TypeError):
        raise ApiError(401, "A JSON web token could not be decoded") from None
    if app is None:
        raise ApiError(401, "Integration not found")
    try:
        checked = jwt.decode(
            token,
            app.public_key,
            algorithms=["RS256"],
            options={"require": ["iat", "exp", "iss"], "verify_iat": False},
            leeway=0,
        )
    except jwt.ExpiredSignatureError:
        raise ApiError(
            401,
            "'Expiration time' claim ('exp') must be a numeric value representing the future "
            "time at which the assertion expires",
        ) from None
    except jwt.PyJWTError:
        raise ApiError(401, "A JSON web token could not be decoded") from None
    now = time.time()
    if float(checked["iat"]) > now + DRIFT:
        raise ApiError(401, "'Issued at' claim ('iat') must be an Integer representing the time")
    if float(checked["exp"]) > now + MAX_LIFETIME + DRIFT:
        raise ApiError(401, "'Expiration time' claim ('exp') is too far in the future")
    return app


def find_app(core: Core, app_id: int) -> App | None:
    return next((a for a in core.state.apps if a.id == app_id), None)


def bot_login(app: App) -> str:
    return f"{app.slug}[bot]"


def installed_app(core: Core, login: str, owner: str) -> App | None:
    """The App whose bot `login` is, when that App is installed on `owner`'s account."""
    for app in core.state.apps:
        if bot_login(app).lower() == login.lower() and any(
            i.app_id == app.id and i.account.lower() == owner.lower()
            for i in core.state.installations
        ):
            return app
    return None
