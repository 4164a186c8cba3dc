"""Promotion worlds: the emulator holding the example content, merged PRs, `kfm-bot promote` runs.

Shared by tests/promotion and benchmarks/bench_promotion.py."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kfm_bot.scaffold.refresh import refresh
from tests.cli import KFM_BOT, kfm_bot
from tests.github.world import World, as_user
from tests.gitrepo import GIT_ENV, git

KILL_AFTER = Path(__file__).resolve().parent / "kill_after.py"

DATA_STEWARD = "mara-osei"  # data steward of every example dataset (policies/stewards.yaml)


def spec(slug: str) -> str:
    return f"specs/{slug}/spec.yaml"


def change_dataset(
    world: World,
    slug: str,
    words: str,
    branch: str,
    *,
    commits: int = 1,
    approve: bool = True,
    evidence: bool = True,
    edit: Callable[[Path], None] | None = None,
) -> int:
    """A PR that changes `slug`'s title (new spec_hash) with its run evidence refreshed.

    `edit(dataset_dir)` changes the dataset's files first, as the pipeline run would (a new
    QA report, for example); the refreshed receipts then record the edited files' digests."""
    env = as_user("alice")
    git(world.work, "fetch", "-q", "origin", env=env)
    git(world.work, "checkout", "-q", "-B", branch, "origin/main", env=env)
    for n in range(commits):
        path = world.work / spec(slug)
        text = path.read_text()
        head, _, rest = text.partition("\ntitle: ")
        title = rest.split("\n", 1)[0]
        path.write_text(f"{head}\ntitle: {title} {words}{n or ''}\n{rest.split(chr(10), 1)[1]}")
        if edit is not None:
            edit(path.parent)
        if evidence:  # "run" the pipeline again, so receipts bind the new spec
            refresh(world.work)
        git(world.work, "add", "-A", env=env)
        git(world.work, "commit", "-q", "-m", f"{slug}: {words} ({n})", env=env)
    git(world.work, "push", "-q", "--force", "origin", f"{branch}:{branch}", env=env)
    number = world.emu.open_pull("org", "data", branch, author="alice", title=f"{slug} {words}")
    if approve:
        world.emu.submit_review("org", "data", number, user=DATA_STEWARD)
    return number


def merge(world: World, number: int, method: str = "merge") -> str:
    return world.emu.merge_pull("org", "data", number, method, by="mara-osei")


def clone(world: World, name: str, *, shallow: bool = False) -> Path:
    """A fresh CI checkout of main (shallow: as actions/checkout makes it by default)."""
    where = world.tmp / name
    url = world.emu.git_url("org", "data")
    depth = ["--depth", "1", f"file://{url}"] if shallow else [url]
    subprocess.run(["git", "clone", "-q", *depth, str(where)], env=GIT_ENV, check=True)
    return where


def promote_env(world: World, **extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GIT_", "KFM_"))}
    return {
        **base,
        **GIT_ENV,
        "GITHUB_TOKEN": world.bot,
        "GITHUB_REPOSITORY": "org/data",
        "GITHUB_API_URL": world.emu.base_url,
        **extra,
    }


def promote_cmd(where: Path, *args: str, kill_after: str | None = None) -> list[str]:
    if kill_after is not None:  # the same command, SIGKILLed right after that step
        return [sys.executable, str(KILL_AFTER), kill_after, "promote", "--repo", str(where), *args]
    return [*KFM_BOT, "promote", "--repo", str(where), *args]


def promote(
    world: World, where: Path, *args: str, kill_after: str | None = None, **extra: str
) -> subprocess.CompletedProcess[str]:
    if kill_after is None:
        return kfm_bot(
            "promote", "--repo", where, *args, env=promote_env(world, **extra), timeout=60
        )
    return subprocess.run(
        promote_cmd(where, *args, kill_after=kill_after),
        env=promote_env(world, **extra),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def start(world: World, where: Path, *args: str, **extra: str) -> subprocess.Popen[str]:
    """`kfm-bot promote` started in the background (for races and parallel runs)."""
    return subprocess.Popen(
        promote_cmd(where, *args),
        env=promote_env(world, **extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def remote_git(world: World, *args: str) -> str:
    bare = Path(world.emu.git_url("org", "data"))
    return git(bare, *args, env=GIT_ENV)


def remote_refs(world: World) -> dict[str, str]:
    out = remote_git(world, "for-each-ref", "--format=%(refname) %(objectname)")
    return dict(tuple(line.split(" ", 1)) for line in out.splitlines())  # type: ignore[misc]


def ledger_lines(world: World) -> list[dict[str, Any]]:
    import json

    text = remote_git(world, "show", "main:registry/ledger.jsonl")
    return [json.loads(line) for line in text.splitlines()]


def tag_of(world: World, slug: str, merge_sha: str) -> str:
    """The release tag a promotion of `slug` from this merge gets (DESIGN section 4)."""
    from datetime import UTC, datetime

    from kfm_bot.canonical import spec_hash
    from kfm_bot.yaml.strict import load_strict

    raw = remote_git(world, "show", f"{merge_sha}:{spec(slug)}").encode()
    data = load_strict(raw, spec(slug)).data
    assert data is not None
    digest = spec_hash(data)
    when = int(remote_git(world, "show", "-s", "--format=%ct", merge_sha))
    return f"{slug}/{datetime.fromtimestamp(when, UTC):%Y-%m}.{digest[7:15]}"


def promotion_commits(world: World, tag: str) -> list[str]:
    return remote_git(
        world, "log", "--format=%H", "--fixed-strings", f"--grep=Kfm-Promotion: {tag}", "main"
    ).split()


def count_promotions(world: World, tag: str) -> tuple[int, int, int]:
    """(commits, tags, ledger lines) on the remote for the promotion tagged `tag`."""
    slug, version = tag.split("/")
    refs = remote_refs(world)
    lines = [
        e
        for e in (
            ledger_lines(world) if "Kfm-Promotion" in remote_git(world, "log", "main") else []
        )
        if (e["dataset_slug"], e["dataset_version_id"]) == (slug, version)
    ]
    return len(promotion_commits(world, tag)), int(f"refs/tags/{tag}" in refs), len(lines)


def start_action_push(world: World, where: Path, before: str) -> subprocess.Popen[str]:
    """`kfm-bot action` for the `push` event GitHub sends for main, as the workflow runs it."""
    import json

    from kfm_bot.emulator import events

    payload = events.push(world.emu, "org", "data", "refs/heads/main", before, pusher="mara-osei")
    event = world.tmp / f"push-{payload['after'][:12]}.json"
    event.write_text(json.dumps(payload))
    env = promote_env(
        world,
        GITHUB_EVENT_NAME="push",
        GITHUB_EVENT_PATH=str(event),
        GITHUB_WORKSPACE=str(where),
        GITHUB_STEP_SUMMARY=str(world.tmp / "summary.md"),
    )
    return subprocess.Popen(
        [*KFM_BOT, "action"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


SEAL_KEY = "kfm-test-state-key-" + "0" * 24


def sealed_promotion(world: World, branch: str) -> list[Any]:
    """A PR to ks_water_wells through the privileged runs with KFM_STATE_KEY (their carried
    state sealed), approved, merged, then the push's promotion with a release: the requests
    that promotion made (emulator request log)."""
    from kfm_bot.emulator import events

    saved = dict(world.env)
    world.env.update({"KFM_STATE_KEY": SEAL_KEY, "KFM_RELEASE": "true"})
    try:
        before = git(clone(world, f"{branch}-before"), "rev-parse", "origin/main").strip()
        number = change_dataset(world, "ks_water_wells", branch.title(), branch, approve=False)
        for done in (
            world.workflow_run(number),
            world.review(number, "mara-osei"),
            world.workflow_run(number, event="pull_request_review"),
        ):
            if done.returncode != 0:
                raise RuntimeError(done.stdout + done.stderr)
        merge(world, number)
        payload = events.push(
            world.emu, "org", "data", "refs/heads/main", before, pusher="mara-osei"
        )
        start = len(world.emu.requests)
        done = world.run("push", payload, workspace=clone(world, f"{branch}-ci"))
        if done.returncode != 0:
            raise RuntimeError(done.stdout + done.stderr)
        return list(world.emu.requests[start:])
    finally:
        world.env.clear()
        world.env.update(saved)
