"""Commits, refs, tags, file changes and contents in GitHub's JSON shapes."""

from __future__ import annotations

import base64
from typing import Any

from kfm_bot.emulator.core import Core
from kfm_bot.emulator.gitread import CommitInfo, Entry, FileChange
from kfm_bot.emulator.shape_users import user_by_login
from kfm_bot.emulator.skeleton import skeleton

JSON = dict[str, Any]
_NOREPLY = "@users.noreply.github.com"
_UNVERIFIED = {
    "verified": False,
    "reason": "unsigned",
    "signature": None,
    "payload": None,
    "verified_at": None,
}


def noreply_login(email: str) -> str | None:
    """The login an e-mail names: only `[<id>+]<login>@users.noreply.github.com` names one."""
    if email.endswith(_NOREPLY):
        return email[: -len(_NOREPLY)].split("+")[-1]
    return None


def account(core: Core, email: str) -> JSON | None:
    """The account an e-mail belongs to, in REST's shape."""
    return user_by_login(core, noreply_login(email))


def _person(who: tuple[str, str, str]) -> JSON:
    return {"name": who[0], "email": who[1], "date": who[2]}


def commit(core: Core, full: str, info: CommitInfo, files: list[FileChange] | None) -> JSON:
    api = core.url(f"/repos/{full}/commits/{info.sha}")
    data: JSON = skeleton("commit")
    data.update(
        url=api,
        sha=info.sha,
        node_id=f"C_{info.sha}",
        html_url=core.html(f"/{full}/commit/{info.sha}"),
        comments_url=f"{api}/comments",
        author=account(core, info.author[1]),
        committer=account(core, info.committer[1]),
        parents=[
            {
                "sha": p,
                "url": core.url(f"/repos/{full}/commits/{p}"),
                "html_url": core.html(f"/{full}/commit/{p}"),
            }
            for p in info.parents
        ],
        commit={
            "url": core.url(f"/repos/{full}/git/commits/{info.sha}"),
            "author": _person(info.author),
            "committer": _person(info.committer),
            "message": info.message,
            "comment_count": 0,
            "tree": {"sha": info.tree, "url": core.url(f"/repos/{full}/git/trees/{info.tree}")},
            "verification": dict(_UNVERIFIED),
        },
    )
    if files is not None:
        data["files"] = [diff_entry(core, full, info.sha, f) for f in files]
        plus, minus = sum(f.additions for f in files), sum(f.deletions for f in files)
        data["stats"] = {"additions": plus, "deletions": minus, "total": plus + minus}
    return data


def git_commit(core: Core, full: str, info: CommitInfo) -> JSON:
    return {
        "sha": info.sha,
        "node_id": f"C_{info.sha}",
        "url": core.url(f"/repos/{full}/git/commits/{info.sha}"),
        "html_url": core.html(f"/{full}/commit/{info.sha}"),
        "author": _person(info.author),
        "committer": _person(info.committer),
        "message": info.message,
        "tree": {"sha": info.tree, "url": core.url(f"/repos/{full}/git/trees/{info.tree}")},
        "parents": [
            {
                "sha": p,
                "url": core.url(f"/repos/{full}/git/commits/{p}"),
                "html_url": core.html(f"/{full}/commit/{p}"),
            }
            for p in info.parents
        ],
        "verification": dict(_UNVERIFIED),
    }


def git_ref(core: Core, full: str, ref: str, sha: str, kind: str) -> JSON:
    plural = {"commit": "commits", "tag": "tags", "tree": "trees", "blob": "blobs"}[kind]
    return {
        "ref": ref,
        "node_id": f"REF_{ref}",
        "url": core.url(f"/repos/{full}/git/{ref}"),
        "object": {"type": kind, "sha": sha, "url": core.url(f"/repos/{full}/git/{plural}/{sha}")},
    }


def git_tag(core: Core, full: str, sha: str, fields: dict[str, str]) -> JSON:
    tagger = fields.get("tagger", "unknown <unknown> 0 +0000")
    name, _, rest = tagger.partition(" <")
    email, _, stamp = rest.partition("> ")
    seconds = int(stamp.split()[0]) if stamp else 0
    import datetime

    date = datetime.datetime.fromtimestamp(seconds, datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    kind = fields.get("type", "commit")
    return {
        "node_id": f"TAG_{sha}",
        "tag": fields.get("tag", ""),
        "sha": sha,
        "url": core.url(f"/repos/{full}/git/tags/{sha}"),
        "message": fields["message"],
        "tagger": {"name": name, "email": email, "date": date},
        "object": {
            "type": kind,
            "sha": fields.get("object", ""),
            "url": core.url(f"/repos/{full}/git/{kind}s/{fields.get('object', '')}"),
        },
        "verification": dict(_UNVERIFIED),
    }


def diff_entry(core: Core, full: str, sha: str, change: FileChange) -> JSON:
    data: JSON = {
        "sha": change.blob,
        "filename": change.filename,
        "status": change.status,
        "additions": change.additions,
        "deletions": change.deletions,
        "changes": change.additions + change.deletions,
        "blob_url": core.html(f"/{full}/blob/{sha}/{change.filename}"),
        "raw_url": core.html(f"/{full}/raw/{sha}/{change.filename}"),
        "contents_url": core.url(f"/repos/{full}/contents/{change.filename}?ref={sha}"),
    }
    if change.patch is not None:
        data["patch"] = change.patch
    if change.previous is not None:
        data["previous_filename"] = change.previous
    return data


def content(core: Core, full: str, ref: str, entry: Entry, data: bytes | None) -> JSON:
    """A contents entry; `data` is given for a file (base64, wrapped like GitHub does)."""
    mode, kind, sha, path, size = entry
    types = {"tree": "dir", "commit": "submodule"}
    item_type = "symlink" if mode == "120000" else types.get(kind, "file")
    api = core.url(f"/repos/{full}/contents/{path}?ref={ref}")
    git_url = core.url(f"/repos/{full}/git/{kind}s/{sha}")
    html = core.html(f"/{full}/blob/{ref}/{path}")
    out: JSON = {
        "type": item_type,
        "size": size,
        "name": path.rsplit("/", 1)[-1],
        "path": path,
        "sha": sha,
        "url": api,
        "git_url": git_url,
        "html_url": html,
        "download_url": None if kind == "tree" else core.html(f"/{full}/raw/{ref}/{path}"),
        "_links": {"self": api, "git": git_url, "html": html},
    }
    if item_type == "symlink" and data is not None:
        out["target"] = data.decode("utf-8", "replace")
    elif item_type == "submodule":
        out["submodule_git_url"] = ""
    elif data is not None:
        encoded = base64.b64encode(data).decode()
        out["content"] = "\n".join(encoded[i : i + 60] for i in range(0, len(encoded), 60)) + "\n"
        out["encoding"] = "base64"
    return out
