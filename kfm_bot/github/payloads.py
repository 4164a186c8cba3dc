"""The event payload fields the bot reads, checked at the entry point with small typed models.

A payload comes from a file the workflow names; a hand-made or truncated one must not reach a
handler as a KeyError. Each model lists only what the handlers read (everything else GitHub
sends is ignored), and a bad field is a usage error naming its JSON path. Values are never
echoed: they are PR-controlled text (branch names) and the message goes to the job log.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from pydantic_core import ErrorDetails

from kfm_bot.errors import UsageError
from kfm_bot.models.common import GIT_SHA_PATTERN

Sha = Annotated[str, StringConstraints(pattern=GIT_SHA_PATTERN)]
Number = Annotated[int, Field(ge=1)]
MAX_REPORTED = 5


class _Fields(BaseModel):
    # strict: JSON gives `"number": 5`, never "5"; a string there is a broken payload.
    model_config = ConfigDict(extra="ignore", strict=True)


class _Repo(_Fields):
    full_name: str
    default_branch: str | None = None
    master_branch: str | None = None


class _User(_Fields):
    login: str
    id: int | None = None
    type: str | None = None


class _Branch(_Fields):
    sha: Sha
    ref: str
    repo: _Repo | None = None  # None: the fork was deleted


class _Pull(_Fields):
    number: Number
    state: str
    head: _Branch
    base: _Branch
    user: _User | None = None
    draft: bool | None = None
    merged: bool | None = None
    merged_at: str | None = None
    merge_commit_sha: str | None = None


class _Event(_Fields):
    repository: _Repo | None = None


class PullRequestEvent(_Event):
    action: str
    pull_request: _Pull
    changes: dict[str, object] | None = None


class ReviewEvent(_Event):
    action: str
    pull_request: _Pull


class _Issue(_Fields):
    number: Number
    state: str
    pull_request: dict[str, object] | None = None


class _Comment(_Fields):
    body: str | None = None


class IssueCommentEvent(_Event):
    action: str
    issue: _Issue
    comment: _Comment


class _Run(_Fields):
    head_sha: Sha
    event: str


class WorkflowRunEvent(_Event):
    action: str
    workflow_run: _Run


class PushEvent(_Event):
    ref: str
    before: Sha | None = None
    after: Sha
    deleted: bool | None = None


class _MergeGroup(_Fields):
    head_sha: Sha
    head_ref: str
    base_sha: Sha
    base_ref: str


class MergeGroupEvent(_Event):
    action: str
    merge_group: _MergeGroup


MODELS: dict[str, type[_Event]] = {
    "pull_request": PullRequestEvent,
    "pull_request_target": PullRequestEvent,
    "pull_request_review": ReviewEvent,
    "issue_comment": IssueCommentEvent,
    "workflow_run": WorkflowRunEvent,
    "push": PushEvent,
    "merge_group": MergeGroupEvent,
}

_PROBLEMS = {
    "missing": "is missing",
    "model_type": "must be an object",
    "dict_type": "must be an object",
    "int_type": "must be an integer",
    "string_type": "must be a string",
    "bool_type": "must be true or false",
    "string_pattern_mismatch": "must be a commit id (40 or 64 lowercase hex digits)",
    "greater_than_equal": "must be a positive number",
}


def check_payload(event_name: str, payload: Mapping[str, object]) -> None:
    """Raise a UsageError naming every bad field (JSON paths) of a handled event's payload."""
    model = MODELS.get(event_name)
    if model is None:
        return
    try:
        model.model_validate(payload)
    except ValidationError as exc:
        problems = [_problem(e) for e in exc.errors()[:MAX_REPORTED]]
        more = len(exc.errors()) - MAX_REPORTED
        tail = f" (and {more} more)" if more > 0 else ""
        raise UsageError(
            f"the {event_name} event payload is malformed: {'; '.join(problems)}{tail};"
            " pass the payload GitHub sent for this event"
        ) from None


def _problem(error: ErrorDetails) -> str:
    path = ".".join(str(part) for part in error["loc"]) or "the payload"
    kind = _PROBLEMS.get(error["type"], "is invalid")
    given = "" if error["type"] == "missing" else f" (got {_json_type(error['input'])})"
    return f"{path} {kind}{given}"


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "a list" if isinstance(value, list) else "an object"
