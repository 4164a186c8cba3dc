"""The workflows and the composite action: zizmor (offline), GitHub's schemas, DESIGN 8's rules."""

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
ACTION = ROOT / "action.yml"
REUSABLE = ("kfm-gates.yml", "kfm-privileged.yml", "kfm-promote.yml", "kfm-merge-queue.yml")
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
            str(ACTION),
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


@pytest.mark.parametrize(
    ("schema", "path"),
    [("vendor.github-actions", ACTION), ("vendor.dependabot", ROOT / ".github" / "dependabot.yml")],
    ids=["action.yml", "dependabot.yml"],
)
def test_action_and_dependabot_schemas(schema: str, path: Path) -> None:
    done = subprocess.run(
        [tool("check-jsonschema"), "--builtin-schema", schema, str(path)],
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
        if uses and uses != "./.kfm-bot":  # kfm-bot's own action, checked out at a pinned sha
            assert PINNED.match(uses), f"{uses} is not pinned by a full commit SHA"
        if uses and uses.startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False


def test_privileged_run_checks_out_only_the_default_branch() -> None:
    reusable = load(ROOT / ".github" / "workflows" / "kfm-privileged.yml")
    checkouts = [s for s in steps(reusable) if s.get("uses", "").startswith("actions/checkout@")]
    # the governance repository at its default branch; kfm-bot itself at the pinned commit
    assert [s["with"]["ref"] for s in checkouts] == [
        "${{ github.event.repository.default_branch }}",
        "${{ inputs.kfm-bot-ref }}",
    ]
    for name, job in (("privileged.yml", "post"), ("review-relay.yml", "comment")):
        caller = load(ROOT / ".github" / "workflows" / name)["jobs"][job]
        assert caller["uses"] == "./.github/workflows/kfm-privileged.yml"
        # github.sha: the default branch's head for workflow_run and issue_comment
        assert caller["with"]["kfm-bot-ref"] == "${{ github.sha }}"
        # pull-requests: write only for the approval state record, the bot's one comment
        expected = {"checks": "write", "contents": "read", "pull-requests": "write"}
        assert caller["permissions"] == expected
    assert reusable["jobs"]["post"]["permissions"] == expected


def test_promotion_runs_one_at_a_time() -> None:
    workflow = load(ROOT / ".github" / "workflows" / "promote.yml")
    assert workflow["concurrency"]["cancel-in-progress"] is False
    assert workflow["jobs"]["promote"]["permissions"]["contents"] == "write"


@pytest.mark.parametrize("name", REUSABLE)
def test_the_reusable_workflows_run_the_action_at_the_pinned_commit(name: str) -> None:
    workflow = load(ROOT / ".github" / "workflows" / name)
    assert "workflow_call" in workflow["on"]
    assert not any("pip install" in s.get("run", "") for s in steps(workflow))
    for job in workflow["jobs"].values():  # every job: kfm-bot at the pinned commit
        (bot,) = [s for s in job["steps"] if s.get("with", {}).get("path") == ".kfm-bot"]
        assert bot["with"]["ref"] == "${{ inputs.kfm-bot-ref }}"
        assert any(s.get("uses") == "./.kfm-bot" for s in job["steps"])


@pytest.mark.parametrize("name", ["pr.yml", "review-relay.yml", "privileged.yml", "promote.yml"])
def test_the_bot_workflows_call_the_reusable_ones(name: str) -> None:
    jobs = load(ROOT / ".github" / "workflows" / name)["jobs"]
    called = {job["uses"].rsplit("/", 1)[-1] for job in jobs.values() if "uses" in job}
    assert called and called <= set(REUSABLE), called
    for job in jobs.values():  # nothing installs the bot outside the action
        assert not any("pip install" in s.get("run", "") for s in job.get("steps", []))


def test_the_action_installs_only_hash_pinned_wheels_without_the_emulator() -> None:
    """Nothing resolved from version ranges where a write token is at hand, and the emulator
    (openapi-core, werkzeug, its OpenAPI file) stays off the bot's runners."""
    action = load(ACTION)
    runs = [s["run"] for s in action["runs"]["steps"] if "run" in s]
    installs = [
        line
        for run in runs
        for line in run.replace("\\\n", " ").splitlines()
        if "pip install" in line
    ]
    assert len(installs) == 3, installs  # runtime lock, build lock, the wheel by its hash
    assert all("--require-hashes" in i and "--no-deps" in i for i in installs), installs
    assert not any("[" in i or re.search(r"install[^-]*\s\.(\s|$)", i) for i in installs)
    for step in action["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), f"expression inside run: {step.get('name')}"
        if "GITHUB_TOKEN" in step.get("env", {}):
            assert 'kfm-bot" action' in step["run"]  # the token reaches the bot's step only
    uses = [s["uses"] for s in action["runs"]["steps"] if "uses" in s]
    assert uses and all(PINNED.match(u.split()[0]) for u in uses), uses


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
    read_prs = {"checks": "write", "contents": "read", "pull-requests": "read"}
    assert job["permissions"] == read_prs
    assert job["uses"] == "./.github/workflows/kfm-merge-queue.yml"
    # github.sha is the group's merge commit, which holds the queued PRs' changes: the bot runs
    # from the default branch's head the group is built on
    assert job["with"]["kfm-bot-ref"] == "${{ github.event.merge_group.base_sha }}"
    assert "environment" not in job.get("with", {})  # this repository: no secrets in the queue
    reusable = load(ROOT / ".github" / "workflows" / "kfm-merge-queue.yml")
    plain, app = reusable["jobs"]["merge-queue"], reusable["jobs"]["merge-queue-app"]
    assert plain["permissions"] == app["permissions"] == read_prs
    # By default a queue branch gets no environment and no secret: the bot posts as GitHub
    # Actions. Only a caller that names an environment (one allowing the queue's branches)
    # runs the App's job, whose secrets come from that environment.
    assert call_input(reusable, "environment")["default"] == ""
    assert plain["if"] == "inputs.environment == ''" and "environment" not in plain
    assert app["if"] == "inputs.environment != ''"
    assert app["environment"] == "${{ inputs.environment }}"
    assert "secrets" not in str(plain["steps"])
    (bot,) = [s for s in app["steps"] if s.get("uses") == "./.kfm-bot"]
    assert {k: v for k, v in bot["with"].items() if "secrets" in v} == {
        "app-id": "${{ secrets.KFM_APP_ID }}",
        "app-private-key": "${{ secrets.KFM_APP_PRIVATE_KEY }}",
        "state-key": "${{ secrets.KFM_STATE_KEY }}",
    }


def call_input(workflow: dict[str, Any], name: str) -> dict[str, Any]:
    return dict(workflow["on"]["workflow_call"]["inputs"][name])


@pytest.mark.parametrize(
    ("name", "secrets"),
    [
        ("kfm-privileged.yml", {"KFM_APP_ID", "KFM_APP_PRIVATE_KEY", "KFM_STATE_KEY"}),
        (
            "kfm-promote.yml",
            {
                "KFM_APP_ID",
                "KFM_APP_PRIVATE_KEY",
                "KFM_STATE_KEY",
                "KFM_PROMOTION_TOKEN",
                "KFM_SIGNING_KEY",
            },
        ),
    ],
)
def test_secrets_come_only_from_the_protected_environment(name: str, secrets: set[str]) -> None:
    """A job that calls a reusable workflow cannot name an environment, so the reusable job
    does, and reads the bot's secrets there; the callers in this repository pass none."""
    reusable = load(ROOT / ".github" / "workflows" / name)
    (job,) = reusable["jobs"].values()
    assert job["environment"] == "${{ inputs.environment }}"
    call = reusable["on"]["workflow_call"]
    assert call["inputs"]["environment"]["default"] == "kfm-bot"
    assert set(call["secrets"]) == secrets
    assert not any(s["required"] for s in call["secrets"].values())
    (bot,) = [s for s in steps(reusable) if s.get("uses") == "./.kfm-bot"]
    passed = {v.removeprefix("${{ secrets.").removesuffix(" }}") for v in bot["with"].values()}
    assert secrets <= passed
    for caller in ("privileged.yml", "review-relay.yml", "promote.yml"):
        for caller_job in load(ROOT / ".github" / "workflows" / caller)["jobs"].values():
            assert "secrets" not in caller_job and "environment" not in caller_job
