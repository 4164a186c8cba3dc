"""Handlers that read and write git data: commits, refs, annotated tags and file contents."""

from __future__ import annotations

from typing import Any

from kfm_bot.emulator import gitcmd, gitread, shape_git
from kfm_bot.emulator.call import Call
from kfm_bot.emulator.core import ApiError
from kfm_bot.emulator.routes import Routes

ROUTES = Routes()  # composed with the other handler modules' in endpoints.py


def _sha(call: Call, rev: str) -> str:
    sha = gitcmd.resolve_ref(call.core.git_path(call.repo().full_name), rev)
    if sha is None:
        raise ApiError(422, f"No commit found for SHA: {rev}")
    return sha


@ROUTES.add("GET", "/repos/{owner}/{repo}/commits/{ref}")
def get_commit(call: Call) -> tuple[int, Any]:
    full = call.repo().full_name
    path = call.core.git_path(full)
    info = gitread.commit_info(path, _sha(call, call.params["ref"]))
    parent = info.parents[0] if info.parents else gitcmd.EMPTY_TREE
    files = gitread.diff_files(path, parent, info.sha)
    return 200, shape_git.commit(call.core, full, info, files[:300])


@ROUTES.add("GET", "/repos/{owner}/{repo}/git/commits/{commit_sha}")
def get_git_commit(call: Call) -> tuple[int, Any]:
    full = call.repo().full_name
    path = call.core.git_path(full)
    if gitcmd.object_type(path, call.params["commit_sha"]) != "commit":
        raise ApiError(404, "Not Found")
    return 200, shape_git.git_commit(
        call.core, full, gitread.commit_info(path, call.params["commit_sha"])
    )


def _refs(call: Call, prefix: str) -> list[dict[str, Any]]:
    full = call.repo().full_name
    refs = gitcmd.list_refs(call.core.git_path(full), "refs/")
    return [
        shape_git.git_ref(call.core, full, name, sha, kind)
        for name, sha, kind in refs
        if name.startswith(prefix) and not name.startswith("refs/pull/")
    ]


@ROUTES.add("GET", "/repos/{owner}/{repo}/git/matching-refs/{ref}")
def matching_refs(call: Call) -> tuple[int, Any]:
    return 200, _refs(call, "refs/" + call.params["ref"])


@ROUTES.add("GET", "/repos/{owner}/{repo}/git/ref/{ref}")
def get_ref(call: Call) -> tuple[int, Any]:
    wanted = "refs/" + call.params["ref"]
    found = [r for r in _refs(call, wanted) if r["ref"] == wanted]
    if not found:
        raise ApiError(404, "Not Found")
    return 200, found[0]


@ROUTES.add("POST", "/repos/{owner}/{repo}/git/refs")
def create_ref(call: Call) -> tuple[int, Any]:
    repo = call.repo()
    call.require_write(repo)
    path = call.core.git_path(repo.full_name)
    ref, sha = call.body["ref"], call.body["sha"]
    if not ref.startswith("refs/") or ref.count("/") < 2:
        raise ApiError(422, "Reference name must start with 'refs/' and have two slashes")
    kind = gitcmd.object_type(path, sha)
    if kind is None:
        raise ApiError(422, "Object does not exist")
    if gitcmd.git(path, "rev-parse", "--verify", "--quiet", ref, check=False).strip():
        raise ApiError(422, "Reference already exists")
    gitcmd.update_ref(path, ref, sha)
    return 201, shape_git.git_ref(call.core, repo.full_name, ref, sha, kind)


@ROUTES.add("POST", "/repos/{owner}/{repo}/git/tags")
def create_tag(call: Call) -> tuple[int, Any]:
    repo = call.repo()
    call.require_write(repo)
    path, body = call.core.git_path(repo.full_name), call.body
    if gitcmd.object_type(path, body["object"]) != body["type"]:
        raise ApiError(422, "Object does not exist")
    tagger = body.get("tagger") or {
        "name": call.login,
        "email": f"{call.login}@users.noreply.github.com",
    }
    stamp = gitread.epoch(tagger.get("date"))
    text = (
        f"object {body['object']}\ntype {body['type']}\ntag {body['tag']}\n"
        f"tagger {tagger['name']} <{tagger['email']}> {stamp} +0000\n\n{body['message']}"
    )
    if not text.endswith("\n"):
        text += "\n"
    sha = gitcmd.git(path, "mktag", stdin=text.encode()).strip()
    fields = gitread.tag_object(path, sha) or {}
    return 201, shape_git.git_tag(call.core, repo.full_name, sha, fields)


@ROUTES.add("GET", "/repos/{owner}/{repo}/git/tags/{tag_sha}")
def get_tag(call: Call) -> tuple[int, Any]:
    full = call.repo().full_name
    fields = gitread.tag_object(call.core.git_path(full), call.params["tag_sha"])
    if fields is None:
        raise ApiError(404, "Not Found")
    return 200, shape_git.git_tag(call.core, full, call.params["tag_sha"], fields)


@ROUTES.add("GET", "/repos/{owner}/{repo}/contents/{path}")
def get_contents(call: Call) -> tuple[int, Any]:
    repo = call.repo()
    path = call.core.git_path(repo.full_name)
    ref = call.query.get("ref") or repo.default_branch
    sha = gitcmd.resolve_ref(path, ref)
    if sha is None:
        raise ApiError(404, f"No commit found for the ref {ref}")
    wanted = call.params["path"].strip("/")
    entries = gitread.ls_tree(path, sha, wanted)
    if not entries:
        raise ApiError(404, "Not Found")
    single = entries[0]
    if len(entries) == 1 and single[3] == wanted and single[1] != "tree":
        data = gitread.blob(path, single[2]) if single[1] == "blob" else None
        return 200, shape_git.content(call.core, repo.full_name, ref, single, data)
    return 200, [shape_git.content(call.core, repo.full_name, ref, e, None) for e in entries]
