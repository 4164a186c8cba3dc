"""Fail-closed: failing gates, missing approvals or a taken tag promote nothing; exit 1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kfm_bot.app.github_promotion import GitHubPromotionHost
from kfm_bot.github.pygithub_client import PyGithubClient
from tests.github.world import World
from tests.promotion.world import (
    change_dataset,
    clone,
    merge,
    promote,
    remote_git,
    remote_refs,
    tag_of,
)

pytestmark = pytest.mark.slow  # subprocesses or emulator worlds: left out of `make test-fast`

CHECK = "kfm-bot / promotion"


def quiet(line: str) -> None:
    """The host's progress lines, not needed here."""


def test_gate_failure_admin_merge_and_taken_tag_promote_nothing(world: World) -> None:
    # The spec changed but its pipeline never ran again: receipts bind the old spec_hash.
    stale = change_dataset(world, "ks_water_wells", "Stale", "stale", evidence=False)
    first = merge(world, stale, "merge")
    # An administrator merged without the data steward's review.
    admin = change_dataset(world, "ks_county_boundaries", "Unreviewed", "admin", approve=False)
    second = merge(world, admin, "squash")
    # A good merge, but someone already tagged its version by hand: tags are never moved.
    good = change_dataset(world, "archaeo_site_density", "Revised", "good")
    world.emu.submit_review("org", "data", good, user="noor-haddad")
    third = merge(world, good, "rebase")
    tag = tag_of(world, "archaeo_site_density", third)
    remote_git(world, "tag", tag, third)
    before = remote_refs(world)
    ci = clone(world, "ci", shallow=True)
    done = promote(world, ci, "--push", "--release")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert f"tag {tag} already exists" in done.stderr
    assert remote_refs(world) == before
    assert "Kfm-Promotion" not in remote_git(world, "log", "main")
    gates = world.check_runs(first)[CHECK]
    assert gates["conclusion"] == "failure"
    assert "gates fail on the merge commit" in gates["output"]["summary"]
    assert "ks_water_wells" in gates["output"]["title"]
    approvals = world.check_runs(second)[CHECK]
    assert approvals["conclusion"] == "failure"
    assert "approvals are missing" in approvals["output"]["summary"]
    assert "data" in approvals["output"]["summary"]
    assert world.emu.core.state.releases == []
    # A later run finds the same refusal: it says so once, not on every push.
    host = GitHubPromotionHost(PyGithubClient(world.bot, "org/data", world.emu.base_url), ci, quiet)
    checks = world.emu.request_count("POST", "/repos/org/data/check-runs")
    summary = approvals["output"]["summary"]
    host.report_failure(second, approvals["output"]["title"], summary)
    assert world.emu.request_count("POST", "/repos/org/data/check-runs") == checks
    host.report_failure(second, "Promotion refused", summary + " (again)")
    assert world.emu.request_count("POST", "/repos/org/data/check-runs") == checks + 1


def _failing_qa(dataset: Path) -> None:
    """The pipeline's QA run found a problem; the receipt (refreshed) binds this very report."""
    path = dataset / "qa" / "report.json"
    report = json.loads(path.read_text())
    report["checks"][1]["status"] = "fail"
    path.write_text(json.dumps(report, indent=2) + "\n")


def test_a_merged_pr_with_a_failing_qa_report_promotes_nothing(world: World) -> None:
    # Every digest agrees and the steward approved: only the QA verdict says no.
    number = change_dataset(world, "ks_water_wells", "Checked", "qa-fail", edit=_failing_qa)
    merged = merge(world, number, "squash")
    before = remote_refs(world)
    done = promote(world, clone(world, "ci"), "--push", "--release")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert "refused ks_water_wells" in done.stdout + done.stderr
    assert remote_refs(world) == before
    assert "Kfm-Promotion" not in remote_git(world, "log", "main")
    refusal = world.check_runs(merged)[CHECK]
    assert refusal["conclusion"] == "failure"
    assert "E (run receipts and checksums)" in refusal["output"]["summary"]
    assert world.emu.core.state.releases == []


def test_a_hold_posted_on_an_approved_pr_stops_its_promotion(world: World) -> None:
    """The merged PR's comments come in promotion's one GraphQL read: a steward's `/kfm hold`,
    posted after the approvals and never relayed by any workflow, still stops the promotion."""
    held = change_dataset(world, "ks_water_wells", "Held", "held")
    world.emu.add_comment("org", "data", held, user="june-harjo", body="/kfm hold wells first")
    sha = merge(world, held, "merge")
    graphql = world.emu.request_count("POST", "/graphql")
    done = promote(world, clone(world, "ci"), "--push", "--release")
    assert done.returncode == 1, done.stdout + done.stderr
    assert world.emu.request_count("POST", "/graphql") == graphql + 1
    run = world.check_runs(sha)[CHECK]
    assert run["conclusion"] == "failure"
    assert f"PR #{held} is on hold" in run["output"]["summary"]
    assert "Kfm-Promotion" not in remote_git(world, "log", "main")
    assert world.emu.core.state.releases == []
