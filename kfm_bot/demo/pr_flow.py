"""Demo, part two: the pull request's life on (emulated) GitHub, up to a promoted release tag."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kfm_bot.demo import github_world, project, show
from kfm_bot.demo.github_world import OWNER, REPO, World
from kfm_bot.demo.narrator import Narrator
from kfm_bot.demo.zones import DemoZones
from kfm_bot.emulator import events
from kfm_bot.git.command import git

AUTHOR = project.git_env(
    "ada-contributor", "ada-contributor@users.noreply.github.com", "2026-11-09T10:00:00Z"
)
FIXTURE = f"specs/{project.NEW_SLUG}/fixtures/ks_counties_sample.geojson"
BRANCH = "add-county-seats"


def run(n: Narrator, workdir: Path, zones: DemoZones) -> bool:
    n.step("GitHub (a local emulator that speaks GitHub's REST API) with the repository")
    world = github_world.start(workdir, zones)
    try:
        return _life(n, world, workdir)
    finally:
        world.emu.stop()


def _life(n: Narrator, world: World, workdir: Path) -> bool:
    n.say(
        f"{world.full} at {world.emu.base_url}; stewards from policies/stewards.yaml; "
        "the contributor ada-contributor; the bot kfm-bot[bot]. policies/storage.yaml names "
        f"the zones: processed {world.zones.processed}, published {world.zones.published}."
    )
    alice = world.clone(workdir / "ada-clone")
    bot = world.clone(workdir / "actions-checkout")

    n.step("Ada opens a pull request adding a dataset; her last fixture edit skipped the pipeline")
    git(alice, "checkout", "-q", "-b", BRANCH, env=AUTHOR)
    project.add_dataset(alice, mistake=False, zones=world.zones)
    fixture = alice / FIXTURE
    fixture.write_text(fixture.read_text().replace('"Douglas"', '"Douglas County"', 1))
    _commit_push(alice, "Add Kansas county seats")
    number = world.emu.open_pull(
        OWNER,
        REPO,
        BRANCH,
        author=github_world.CONTRIBUTOR[0],
        title="Add Kansas county seats",
        body="New dataset.",
    )
    head = world.emu.pull(OWNER, REPO, number).head_sha
    n.say(f"PR #{number} opened at {head[:12]}. Two workflows run `kfm-bot action`:")
    opened = events.pull_request(world.emu, OWNER, REPO, number, "opened")
    _pull_event(n, world, alice, bot, opened)
    show.check_runs(n, world, head)
    asked = world.api(f"/repos/{world.full}/pulls/{number}")["requested_reviewers"]
    n.say(
        "The approvals run opened with what changed; it asked for reviews from: "
        + (", ".join(u["login"] for u in asked) or "nobody")
    )

    n.step("Another app installed on the repository posts `kfm-bot / approvals: success`")
    forged = github_world.forge_approvals(world, head)
    n.say(f"Check run {forged}: the bot's name, another app's identity; the bot reports it:")

    n.step("Ada re-runs the pipeline so the receipt matches the fixture, and pushes")
    before = head
    project.fix_dataset(alice)
    _commit_push(alice, "Re-run the pipeline after editing the fixture")
    head = world.emu.pull(OWNER, REPO, number).head_sha
    pushed = events.pull_request(world.emu, OWNER, REPO, number, "synchronize", before=before)
    _pull_event(n, world, alice, bot, pushed)
    show.check_runs(n, world, head)

    n.step("mara-osei, a data steward, approves the pull request by review")
    world.emu.submit_review(
        OWNER,
        REPO,
        number,
        user="mara-osei",
        state="APPROVED",
        body="Looks right: sources, licence and catalog agree.",
    )
    n.say("review-relay.yml hands the review to the privileged run, which recomputes approvals:")
    relay = events.workflow_run(world.emu, OWNER, REPO, number, run_id=700 + world.events)
    relay["workflow_run"]["event"] = "pull_request_review"
    _act(n, world, bot, "workflow_run", relay, "privileged.yml, after the review relay")
    verdicts = show.check_runs(n, world, head)
    green = all(v == "success" for v in verdicts.values()) and len(verdicts) >= 2

    from kfm_bot.demo import promote_flow

    return green and promote_flow.run(n, world, workdir, bot, number)


def _commit_push(repo: Path, message: str) -> None:
    git(repo, "add", "-A", env=AUTHOR)
    git(repo, "commit", "-q", "-m", message, env=AUTHOR)
    git(repo, "push", "-q", "origin", BRANCH, env=AUTHOR)


def _pull_event(
    n: Narrator, world: World, pr_checkout: Path, bot: Path, payload: dict[str, Any]
) -> None:
    """pr.yml (the PR's code, read-only token: prints only), then privileged.yml (posts)."""
    git(pr_checkout, "checkout", "-q", BRANCH, env=AUTHOR)
    _act(n, world, pr_checkout, "pull_request", payload, "pr.yml, unprivileged", "--no-post")
    number = int(payload["number"])
    after = events.workflow_run(world.emu, OWNER, REPO, number, run_id=800 + world.events)
    _act(n, world, bot, "workflow_run", after, "privileged.yml, default branch's bot")


def _act(
    n: Narrator,
    world: World,
    workspace: Path,
    name: str,
    payload: dict[str, Any],
    why: str,
    *args: str,
) -> None:
    proc = world.action(name, payload, workspace, *args)
    flags = " ".join(args)
    n.block(f"$ kfm-bot action {flags}  # {why}: GITHUB_EVENT_NAME={name}", indent="")
    n.block(proc.stdout + proc.stderr)
    n.block(f"(exit {proc.returncode})", indent="")
