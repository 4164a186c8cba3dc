"""Where GitHub's real answers part from its description: patches to the loaded copy."""

from __future__ import annotations

from typing import Any

JSON = dict[str, Any]

# Accepts null and nothing else: `nullable` only takes effect next to a `type`.
_NULL = {"type": "object", "nullable": True, "maxProperties": 0, "enum": [None]}


def patch(spec: JSON) -> None:
    """Align the description with what GitHub really sends (see data/PROVENANCE.md)."""
    schemas = spec["components"]["schemas"]
    # commit.author/committer: `nullable` without `type` has no effect in strict OpenAPI 3.0,
    # yet GitHub sends null when the e-mail belongs to no account.
    for key in ("author", "committer"):
        options = schemas["commit"]["properties"][key]["oneOf"]
        # `anyOf`, because every simple-user also matches empty-object.
        schemas["commit"]["properties"][key] = {"anyOf": [*options, _NULL]}
    # check-run.conclusion is null until the run completes, but its enum lacks null.
    schemas["check-run"]["properties"]["conclusion"]["enum"].append(None)
    # head.repo is null once the fork behind a pull request was deleted.
    for name in ("pull-request", "pull-request-simple"):
        head = schemas[name]["properties"]["head"]["properties"]
        head["repo"] = {"anyOf": [head["repo"], _NULL]}
    # Labels may be posted as a bare array, as the description's own text says (PyGithub does).
    labels = spec["paths"]["/repos/{owner}/{repo}/issues/{issue_number}/labels"]["post"]
    schema = labels["requestBody"]["content"]["application/json"]["schema"]
    schema["oneOf"].append(schema["oneOf"][0]["properties"]["labels"])
    # Contents: a directory answers an array, which a `type` discriminator cannot inspect.
    contents = spec["paths"]["/repos/{owner}/{repo}/contents/{path}"]["get"]["responses"]["200"]
    del contents["content"]["application/json"]["schema"]["discriminator"]
    # /user and /users/{username}: public-user and private-user overlap, so a strict `oneOf`
    # matches both; GitHub picks the shape by `user_view_type`, which `anyOf` accepts.
    for path in ("/user", "/users/{username}"):
        media = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        media["schema"] = {"anyOf": media["schema"]["oneOf"]}
