"""The privileged path: base policies and the default branch's code decide, whatever the PR says."""

from __future__ import annotations

from typing import Any

import pytest

from tests.github.world import World

pytestmark = pytest.mark.slow  # subprocesses or emulator worlds: left out of `make test-fast`

WELLS = "registry/sources/kgs-water-wells.yaml"
NC = "CC-BY-NC-4.0"  # allowed for internal data, not for a public source


def nc_license(world: World) -> dict[str, str | None]:
    text = (world.work / WELLS).read_text()
    old = next(
        t.split(":", 1)[1].strip() for t in text.splitlines() if t.strip().startswith("spdx:")
    )
    return {WELLS: text.replace(f"spdx: {old}", f"spdx: {NC}", 1)}


def rules(run: dict[str, Any], world: World) -> set[str]:
    return {a["title"] for a in world.annotations(run["id"])}


def test_pr_changing_bot_code_and_policies_cannot_change_the_verdict(world: World) -> None:
    plain = world.push("plain", nc_license(world), base="main")
    first = world.emu.open_pull("org", "data", "plain", author="alice")
    world.workflow_run(first)
    honest = world.check_runs(plain)["kfm-bot / gates"]
    assert honest["conclusion"] == "failure"
    baseline = {r for r in rules(honest, world) if r.startswith("B.")}
    assert baseline

    licenses = (world.work / "policies" / "licenses.yaml").read_text()
    stewards = (world.work / "policies" / "stewards.yaml").read_text()
    hostile = {
        **nc_license(world),
        "policies/licenses.yaml": licenses.replace("public: [", f"public: [{NC}, "),
        "policies/stewards.yaml": stewards.replace(
            "stewards:\n",
            "stewards:\n  - login: alice\n    id: 5550001\n    roles: [data, policy, licensing]\n",
            1,
        ),
        "kfm_bot/gates/b_licensing/licensing.py": "def run(ctx):\n    return []\n",
        "kfm_bot/gates/registry.py": "GATES = {}\n",
        "pyproject.toml": "[project]\nname = 'evil'\n",
    }
    sha = world.push("sneaky", hostile, "allow it", base="main")
    number = world.emu.open_pull("org", "data", "sneaky", author="alice")
    world.emu.submit_review("org", "data", number, user="alice")  # added to the roster by this PR
    done = world.workflow_run(number)
    assert done.returncode == 1, done.stderr
    runs = world.check_runs(sha)
    gates, approvals = runs["kfm-bot / gates"], runs["kfm-bot / approvals"]
    assert gates["conclusion"] == "failure"
    assert baseline <= rules(gates, world)
    assert approvals["conclusion"] != "success", approvals["output"]["summary"]


def test_service_failure_is_exit_3_in_one_sentence_without_the_token(world: World) -> None:
    world.push("feat", nc_license(world), base="main")
    number = world.emu.open_pull("org", "data", "feat", author="alice")
    world.emu.faults.add(
        "GET", "/repos/org/data/commits/*/check-runs", status=429, retry_after=0, times=-1
    )
    done = world.run("pull_request", world.pull_event(number))
    assert done.returncode == 3
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kfm-bot: error: GitHub did not answer")
    assert world.bot not in done.stdout + done.stderr
    world.emu.faults.clear()


def test_no_post_prints_gates_and_summary_without_any_request(world: World) -> None:
    world.push("feat", nc_license(world), base="main")
    number = world.emu.open_pull("org", "data", "feat", author="alice")
    payload = world.pull_event(number)
    before = len(world.emu.requests)
    done = world.run("pull_request", payload, "--no-post", token="")
    assert done.returncode == 1, done.stderr
    assert len(world.emu.requests) == before
    assert WELLS in done.stdout
    assert "| B |" in (world.tmp / "step-summary.md").read_text()
