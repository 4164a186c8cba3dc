"""The workflows: zizmor (offline) and GitHub's workflow schema, plus the rules DESIGN 8 sets."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from tests.cli import tool

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe").load(path.read_text())
    return data


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for job in workflow["jobs"].values() for s in job.get("steps", [])]


def test_the_five_workflows_exist() -> None:
    names = {p.name for p in WORKFLOWS}
    assert {"pr.yml", "review-relay.yml", "privileged.yml", "promote.yml", "ci.yml"} <= names


def test_zizmor_reports_nothing_medium_or_above() -> None:
    done = subprocess.run(
        [
            tool("zizmor"),
            "--offline",
            "--format",
            "json",
            "--min-severity",
            "medium",
            *map(str, WORKFLOWS),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    findings = json.loads(done.stdout or "[]")
    assert findings == [], json.dumps(findings, indent=1)[:4000]


def test_github_workflow_schema() -> None:
    done = subprocess.run(
        [
            tool("check-jsonschema"),
            "--builtin-schema",
            "vendor.github-workflows",
            *map(str, WORKFLOWS),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_least_privilege_and_no_expressions_in_scripts(path: Path) -> None:
    workflow = load(path)
    assert workflow["permissions"] == {}, "top-level permissions must be {}"
    for name, job in workflow["jobs"].items():
        assert "permissions" in job, f"job {name} must say which permissions it needs"
        assert "write-all" not in str(job["permissions"])
    for step in steps(workflow):
        assert "${{" not in step.get("run", ""), f"expression inside run: in {path.name}"
        uses = step.get("uses")
        if uses:
            assert PINNED.match(uses), f"{uses} is not pinned by a full commit SHA"
        if uses and uses.startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False


def test_privileged_run_checks_out_only_the_default_branch() -> None:
    for name in ("privileged.yml", "review-relay.yml"):
        workflow = load(ROOT / ".github" / "workflows" / name)
        for step in steps(workflow):
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["ref"] == "${{ github.event.repository.default_branch }}"
    privileged = load(ROOT / ".github" / "workflows" / "privileged.yml")
    job = privileged["jobs"]["post"]
    # pull-requests: write only for the approval state record, the bot's one comment on a PR
    assert job["permissions"] == {"checks": "write", "contents": "read", "pull-requests": "write"}


def test_promotion_runs_one_at_a_time() -> None:
    workflow = load(ROOT / ".github" / "workflows" / "promote.yml")
    assert workflow["concurrency"]["cancel-in-progress"] is False
    assert workflow["jobs"]["promote"]["permissions"]["contents"] == "write"


@pytest.mark.parametrize("name", ["pr.yml", "review-relay.yml", "privileged.yml", "promote.yml"])
def test_the_bot_is_installed_without_the_emulator_extra(name: str) -> None:
    """The emulator (openapi-core, werkzeug, its OpenAPI file) stays off the bot's runners."""
    installs = [
        step["run"]
        for step in steps(load(ROOT / ".github" / "workflows" / name))
        if "pip install" in step.get("run", "")
    ]
    assert installs, f"{name} installs kfm-bot"
    assert all(re.search(r"pip install --quiet \.$", run.strip()) for run in installs), installs


def test_comments_without_a_command_start_no_privileged_work() -> None:
    """issue_comment reaches the review relay; its completion would start privileged.yml."""
    relay = load(ROOT / ".github" / "workflows" / "review-relay.yml")
    assert relay["jobs"]["relay"]["if"] == "github.event_name == 'pull_request_review'"
    assert "contains(github.event.comment.body, '/kfm')" in relay["jobs"]["comment"]["if"]
    privileged = load(ROOT / ".github" / "workflows" / "privileged.yml")
    assert privileged["jobs"]["post"]["if"] == (
        "github.event_name == 'workflow_run' && github.event.workflow_run.event != 'issue_comment'"
    )


def test_the_merge_queue_gets_its_own_job_that_writes_only_check_runs() -> None:
    privileged = load(ROOT / ".github" / "workflows" / "privileged.yml")
    assert privileged["on"]["merge_group"] == {"types": ["checks_requested"]}
    job = privileged["jobs"]["merge-queue"]
    assert job["if"] == "github.event_name == 'merge_group'"
    assert job["permissions"] == {"checks": "write", "contents": "read", "pull-requests": "read"}
    assert any(s.get("run") == "kfm-bot action" for s in job["steps"])
