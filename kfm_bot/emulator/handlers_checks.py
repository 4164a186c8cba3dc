"""Handlers for check runs and their annotations, with GitHub's size and count limits."""

from __future__ import annotations

from typing import Any

from kfm_bot.emulator import gitcmd, shape_checks
from kfm_bot.emulator.call import Call
from kfm_bot.emulator.core import ApiError, now_iso
from kfm_bot.emulator.routes import Routes
from kfm_bot.emulator.state import CheckRun

ROUTES = Routes()  # composed with the other handler modules' in endpoints.py

MAX_ANNOTATIONS = 50  # per request; they accumulate across updates
MAX_OUTPUT_BYTES = 65535  # summary and text, counted in bytes


def _run(call: Call) -> CheckRun:
    repo, run_id = call.repo(), call.int_param("check_run_id")
    for run in call.core.state.check_runs:
        if run.repo == repo.full_name and run.id == run_id:
            return run
    raise ApiError(404, "Not Found")


def check_limits(body: Any) -> None:
    """Answer 422 like GitHub for output GitHub refuses (run before schema validation)."""
    output = body.get("output") if isinstance(body, dict) else None
    if not isinstance(output, dict):
        return
    for key in ("summary", "text"):
        value = output.get(key)
        if isinstance(value, str) and len(value.encode("utf-8")) > MAX_OUTPUT_BYTES:
            raise ApiError(
                422,
                "Invalid request.\n\nOnly 65535 characters are allowed; "
                f"{len(value.encode('utf-8'))} were supplied.",
            )
    notes = output.get("annotations")
    if isinstance(notes, list) and len(notes) > MAX_ANNOTATIONS:
        raise ApiError(
            422, f"Invalid request.\n\nOnly {MAX_ANNOTATIONS} annotations are allowed per request."
        )


def _apply(run: CheckRun, body: dict[str, Any]) -> None:
    for key in (
        "name",
        "details_url",
        "external_id",
        "started_at",
        "status",
        "conclusion",
        "completed_at",
    ):
        if key in body:
            setattr(run, key, body[key])
    if body.get("conclusion") is not None:
        run.status = "completed"
    if run.status == "completed":
        if run.conclusion is None:
            raise ApiError(
                422, "Invalid request.\n\nconclusion is required when status is completed."
            )
        run.completed_at = run.completed_at or now_iso()
    if run.status == "in_progress":
        run.started_at = run.started_at or now_iso()
    output = body.get("output") or {}
    for key in ("title", "summary", "text"):
        if key in output:
            setattr(run, key, output[key])
    run.annotations.extend(output.get("annotations", []))


@ROUTES.add("POST", "/repos/{owner}/{repo}/check-runs")
def create_run(call: Call) -> tuple[int, Any]:
    repo = call.repo()
    login = call.require_write(repo)
    if gitcmd.resolve_ref(call.core.git_path(repo.full_name), call.body["head_sha"]) is None:
        raise ApiError(422, "No commit found for SHA: " + call.body["head_sha"])
    run = CheckRun(
        repo.full_name,
        call.core.state.new_id(),
        call.body["name"],
        call.body["head_sha"],
        started_at=now_iso(),
        app_owner=login,
        app_id=call.app_token,
    )
    _apply(run, call.body)
    call.core.state.check_runs.append(run)
    return 201, shape_checks.check_run(call.core, run)


@ROUTES.add("PATCH", "/repos/{owner}/{repo}/check-runs/{check_run_id}")
def update_run(call: Call) -> tuple[int, Any]:
    run = _run(call)
    call.require_write(call.repo())
    if run.app_id != call.app_token:  # only the App that created a run may update it
        made_by = call.app_token or 15368  # 15368: GitHub Actions
        raise ApiError(
            403, f"Invalid app_id `{made_by}` - check run can only be modified by its creator"
        )
    _apply(run, call.body)
    return 200, shape_checks.check_run(call.core, run)


@ROUTES.add("GET", "/repos/{owner}/{repo}/check-runs/{check_run_id}")
def get_run(call: Call) -> tuple[int, Any]:
    return 200, shape_checks.check_run(call.core, _run(call))


@ROUTES.add("GET", "/repos/{owner}/{repo}/check-runs/{check_run_id}/annotations", paginated=True)
def list_annotations(call: Call) -> tuple[int, Any]:
    run = _run(call)
    return 200, [shape_checks.annotation(call.core, run, a) for a in run.annotations]


@ROUTES.add("GET", "/repos/{owner}/{repo}/commits/{ref}/check-runs")
def runs_for_ref(call: Call) -> tuple[int, Any]:
    repo = call.repo()
    sha = gitcmd.resolve_ref(call.core.git_path(repo.full_name), call.params["ref"])
    if sha is None:
        raise ApiError(422, "No commit found for SHA: " + call.params["ref"])
    runs = [r for r in call.core.state.check_runs if r.repo == repo.full_name and r.head_sha == sha]
    query = call.query
    runs = [
        r
        for r in runs
        if query.get("check_name") in (None, r.name) and query.get("status") in (None, r.status)
    ]
    if query.get("filter", "latest") == "latest":
        newest = {r.name: r for r in runs}  # later runs replace earlier ones of the same name
        runs = list(newest.values())
    runs.sort(key=lambda r: -r.id)
    page = call.page(runs)
    return 200, {
        "total_count": len(runs),
        "check_runs": [shape_checks.check_run(call.core, r) for r in page],
    }
