"""Dry run changes nothing and prints what a run writes; two fresh clones write the same bytes."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest

from tests.github.world import World
from tests.promotion.world import (
    change_dataset,
    clone,
    merge,
    remote_git,
    remote_refs,
    start,
    tag_of,
)

pytestmark = pytest.mark.slow  # subprocesses or emulator worlds: left out of `make test-fast`


def local_state(where: Path) -> tuple[str, str, str]:
    def run(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=where, capture_output=True, text=True, check=True
        ).stdout

    refs = run("for-each-ref", "--format=%(refname) %(objectname)", "refs/heads", "refs/tags")
    return refs, run("status", "--porcelain", "--untracked-files=all"), run("rev-parse", "HEAD")


def objects(world: World) -> str:
    return remote_git(world, "count-objects", "-v")


def test_dry_run_prints_everything_and_changes_nothing(world: World) -> None:
    sha = merge(world, change_dataset(world, "ks_water_wells", "Revised", "a"), "merge")
    tag = tag_of(world, "ks_water_wells", sha)
    ci = clone(world, "ci")
    remote_before, objects_before, local_before = (
        remote_refs(world),
        objects(world),
        local_state(ci),
    )
    writes = world.emu.write_count()
    # The dry run, and two real (local) promotions from two more fresh clones, all at once.
    one, two = clone(world, "one"), clone(world, "two")
    dry = start(world, ci, "--dry-run", "--push", "--release")
    runs = [start(world, where) for where in (one, two)]
    for run in runs:
        out_err = run.communicate(timeout=90)
        assert run.returncode == 0, out_err
    out, err = dry.communicate(timeout=90)
    assert dry.returncode == 0, out + err
    assert (remote_refs(world), objects(world)) == (remote_before, objects_before)
    assert local_state(ci) == local_before
    assert world.emu.write_count() == writes  # no check run, release or tag via the API
    slug, version = tag.split("/")
    for name in ("promotion_manifest.json", "policy_decision.json"):
        assert f"registry/promotions/{slug}/{version}/{name}  sha256:" in out
    assert "registry/ledger.jsonl  sha256:" in out
    assert "Kfm-Manifest-Digest: sha256:" in out and f"tag {tag}" in out
    # ... and the digests it printed are those the two fresh clones wrote, byte for byte.
    head = [local_state(w)[2] for w in (one, two)]
    assert head[0] == head[1]  # the very same commit object
    manifest = f"registry/promotions/{slug}/{version}/promotion_manifest.json"
    files = [(w / manifest).read_bytes() for w in (one, two)]
    assert files[0] == files[1]
    for where in (one, two):
        for path in (
            "registry/ledger.jsonl",
            manifest.replace("promotion_manifest", "policy_decision"),
        ):
            assert (where / path).read_bytes() == (one / path).read_bytes()
    tags = [
        subprocess.run(
            ["git", "cat-file", "-p", f"refs/tags/{tag}"], cwd=w, capture_output=True, check=True
        ).stdout
        for w in (one, two)
    ]
    assert tags[0] == tags[1]
    for path in (manifest, "registry/ledger.jsonl"):
        digest = hashlib.sha256((one / path).read_bytes()).hexdigest()
        assert f"{path}  sha256:{digest}" in out
