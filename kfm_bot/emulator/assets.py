"""Release asset uploads: GitHub's uploads host, outside the OpenAPI subset, checked by hand.

GitHub serves `POST /repos/{owner}/{repo}/releases/{release_id}/assets?name=` on
uploads.github.com with the raw file as the body; the description in /work/shared/github
documents it but the emulator's subset does not, so this module checks the request itself
(name, content type, non-empty body, the release, write access) and shapes the answer as
the `release-asset` schema (which the release responses carry, and which is validated there).
"""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any
from urllib.parse import parse_qs

from kfm_bot.emulator.call import permission
from kfm_bot.emulator.core import ApiError, Core, now_iso
from kfm_bot.emulator.shape_users import user_by_login
from kfm_bot.emulator.state import Release, ReleaseAsset

UPLOAD = re.compile(r"^/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)/releases/(?P<id>\d+)/assets$")
_NAME = re.compile(r"^[^/\\\x00-\x1f]{1,255}$")


def is_upload(method: str, path: str) -> bool:
    return method == "POST" and UPLOAD.match(path) is not None


def check(raw_query: str, headers: dict[str, str], raw: bytes) -> str | None:
    """Why the upload request is not what GitHub's uploads endpoint accepts, or None."""
    query = parse_qs(raw_query, keep_blank_values=True)
    names = query.get("name", [])
    if len(names) != 1 or not _NAME.match(names[0]):
        return "upload needs exactly one `name` query parameter (a plain file name)"
    if not headers.get("content-type"):
        return "upload needs a Content-Type header naming the asset's media type"
    if not raw:
        return "upload body is empty"
    return None


def upload(
    core: Core,
    path: str,
    raw_query: str,
    headers: dict[str, str],
    raw: bytes,
    login: str | None,
    read_only: bool = False,
) -> tuple[int, Any]:
    found = UPLOAD.match(path)
    assert found is not None
    repo = core.repo(found["owner"], found["repo"])
    if login is None:
        raise ApiError(401, "Requires authentication")
    if read_only or permission(core, repo, login) not in ("admin", "write"):
        raise ApiError(403, "Resource not accessible by integration")
    release = next(
        (r for r in core.state.releases if r.repo == repo.full_name and r.id == int(found["id"])),
        None,
    )
    if release is None:
        raise ApiError(404, "Not Found")
    name = parse_qs(raw_query)["name"][0]
    if any(asset(a).name == name for a in release.assets):
        raise ApiError(
            422,
            "Validation Failed",
            [{"resource": "ReleaseAsset", "code": "already_exists", "field": "name"}],
        )
    item = ReleaseAsset(
        core.state.new_id(),
        name,
        headers.get("content-type", "application/octet-stream"),
        base64.b64encode(raw).decode("ascii"),
        login,
        now_iso(),
    )
    release.assets.append(item)
    return 201, shape(core, release, item)


def asset(item: ReleaseAsset | dict[str, Any]) -> ReleaseAsset:
    """A state file stores assets as plain objects: turn them back into records."""
    return ReleaseAsset(**item) if isinstance(item, dict) else item


def data(item: ReleaseAsset | dict[str, Any]) -> bytes:
    return base64.b64decode(asset(item).data_b64)


def shape(core: Core, release: Release, item: ReleaseAsset | dict[str, Any]) -> dict[str, Any]:
    a = asset(item)
    raw = data(a)
    return {
        "url": core.url(f"/repos/{release.repo}/releases/assets/{a.id}"),
        "browser_download_url": core.html(
            f"/{release.repo}/releases/download/{release.tag_name}/{a.name}"
        ),
        "id": a.id,
        "node_id": f"RA_{a.id}",
        "name": a.name,
        "label": None,
        "state": "uploaded",
        "content_type": a.content_type,
        "size": len(raw),
        "digest": "sha256:" + hashlib.sha256(raw).hexdigest(),
        "download_count": 0,
        "created_at": a.created_at,
        "updated_at": a.created_at,
        "uploader": user_by_login(core, a.uploader),
    }
