"""What a handler receives for one routed request (`Call`), and who may write to a repository."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from kfm_bot.emulator.core import ApiError, Core
from kfm_bot.emulator.state import Repo


@dataclass
class Call:
    """One routed request as a handler sees it."""

    core: Core
    method: str
    params: dict[str, str]
    query: dict[str, str]
    body: Any
    login: str | None
    path: str = "/"
    read_only: bool = False
    jwt_app: int | None = None  # the App a JWT authenticated (only the /app endpoints take it)
    app_token: int | None = None  # the App whose installation token this is; None: GITHUB_TOKEN
    out_headers: dict[str, str] = field(default_factory=dict)

    def page(self, items: list[Any]) -> list[Any]:
        """The slice of `items` that per_page/page select, with GitHub's Link header set."""
        per_page = min(max(_int(self.query.get("per_page"), 30), 1), 100)
        page = max(_int(self.query.get("page"), 1), 1)
        last = max((len(items) + per_page - 1) // per_page, 1)
        links = []
        if page < last:
            links += [
                f'<{self._page_url(page + 1, per_page)}>; rel="next"',
                f'<{self._page_url(last, per_page)}>; rel="last"',
            ]
        if page > 1:
            links += [
                f'<{self._page_url(1, per_page)}>; rel="first"',
                f'<{self._page_url(page - 1, per_page)}>; rel="prev"',
            ]
        if links:
            self.out_headers["Link"] = ", ".join(links)
        return items[(page - 1) * per_page : page * per_page]

    def _page_url(self, page: int, per_page: int) -> str:
        query = {**self.query, "per_page": str(per_page), "page": str(page)}
        return self.core.url(f"{self.path}?{urlencode(query)}")

    def repo(self) -> Repo:
        return self.core.repo(self.params["owner"], self.params["repo"])

    def int_param(self, name: str) -> int:
        try:
            return int(self.params[name])
        except ValueError:
            raise ApiError(404, "Not Found") from None

    def require_login(self) -> str:
        if self.login is None:
            raise ApiError(401, "Requires authentication")
        return self.login

    def require_write(self, repo: Repo) -> str:
        """The caller's login, if it may write to `repo` (a read-only token may not)."""
        login = self.require_login()
        if self.read_only or permission(self.core, repo, login) not in ("admin", "write"):
            raise ApiError(403, "Resource not accessible by integration")
        return login


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def permission(core: Core, repo: Repo, login: str) -> str:
    from kfm_bot.emulator.app_auth import installed_app

    if login.lower() == repo.owner.lower():
        return "admin"
    if installed_app(core, login, repo.owner) is not None:
        return "write"
    return repo.collaborators.get(login, "read")
