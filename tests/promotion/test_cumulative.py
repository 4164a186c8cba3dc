"""Merge, squash and rebase merges promote; a run that never happened is caught up, in order.

One world for the module: PR 1 (merge commit) is promoted by its own run; PR 2 (squash) gets
no run (GitHub cancelled it); PR 3 (rebase, two commits) is merged and its run promotes both.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from kfm_bot.canonical import spec_hash
from kfm_bot.emulator import assets
from kfm_bot.emulator.testing import running_emulator
from kfm_bot.models.decision import decision_id_for
from kfm_bot.yaml.strict import load_strict
from tests.cli import kfm_bot
from tests.github.world import World, make_world
from tests.promotion.world import (
    change_dataset,
    clone,
    ledger_lines,
    merge,
    promote,
    remote_git,
)

pytestmark = pytest.mark.slow  # over a second a test: left out of `make test-fast`

PLAN = (("ks_water_wells", "merge", 1), ("ks_county_boundaries", "squash", 1))
LAST = ("archaeo_site_density", "rebase", 2)
TEMPLATE = {
    "kfm_promotion_manifest_version",
    "dataset_slug",
    "dataset_version_id",
    "spec_hash",
    "released_at",
    "artifacts",
    "catalogs",
    "qa",
    "policy",
    "approvals",
}


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("cumulative")
    with running_emulator(tmp) as emu:
        world = make_world(emu, tmp)
        ci = clone(world, "ci")
        merges, runs = [], []
        for n, (slug, method, commits) in enumerate((*PLAN, LAST), start=1):
            number = change_dataset(world, slug, "Revised", f"pr{n}", commits=commits)
            if slug == "archaeo_site_density":  # restricted: a sensitivity steward too
                emu.submit_review("org", "data", number, user="noor-haddad")
            merges.append(merge(world, number, method))
            if n != 2:  # the run for the second merge was cancelled by the third
                runs.append(promote(world, ci, "--push", "--release", "--commit", merges[-1]))
        yield {"world": world, "ci": ci, "merges": merges, "runs": runs}


def show(world: World, ref: str) -> bytes:
    bare = Path(world.emu.git_url("org", "data"))
    return subprocess.run(["git", "show", ref], cwd=bare, capture_output=True, check=True).stdout


def test_runs_succeed_and_promote_every_merge_in_merge_order(scene: dict[str, Any]) -> None:
    for done in scene["runs"]:
        assert done.returncode == 0, done.stdout + done.stderr
    lines = ledger_lines(scene["world"])
    assert [e["dataset_slug"] for e in lines] == [PLAN[0][0], PLAN[1][0], LAST[0]]
    assert [e["pr_number"] for e in lines] == [1, 2, 3]
    assert [e["merge_commit"] for e in lines] == scene["merges"]
    assert "promoted ks_county_boundaries" in scene["runs"][1].stdout
    verify = kfm_bot("ledger", "verify", "--repo", scene["ci"], "--ref", "origin/main")
    assert verify.returncode == 0, verify.stderr


def _expected_artifacts(world: World, merge: str, slug: str, digest: str) -> list[dict[str, Any]]:
    spec: Any = load_strict(show(world, f"{merge}:specs/{slug}/spec.yaml"), "spec.yaml").data
    assert spec is not None
    found = []
    for ref in spec["receipts"]:
        receipt = json.loads(show(world, f"{merge}:specs/{slug}/{ref}"))
        if receipt.get("spec_hash") == digest:
            found = [
                {
                    "path": f"specs/{slug}/{o['path']}",
                    "digest": o["digest"],
                    "media_type": o.get("media_type") or "application/octet-stream",
                }
                for o in receipt["outputs"]
            ]
    assert found, "the merge carries a receipt for its spec"
    return sorted(found, key=lambda a: a["path"])


def test_manifest_and_decision_are_exact(scene: dict[str, Any]) -> None:
    world = scene["world"]
    reviews = world.api("/repos/org/data/pulls/3/reviews")
    for entry in ledger_lines(world):
        slug, version, merge_sha = (
            entry["dataset_slug"],
            entry["dataset_version_id"],
            entry["merge_commit"],
        )
        where = f"main:registry/promotions/{slug}/{version}"
        raw = show(world, f"{where}/promotion_manifest.json")
        manifest = json.loads(raw)
        assert set(manifest) == TEMPLATE
        text = json.dumps(manifest, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
        assert raw == text.encode()
        assert entry["manifest_digest"] == "sha256:" + hashlib.sha256(raw).hexdigest()
        spec: Any = load_strict(show(world, f"{merge_sha}:specs/{slug}/spec.yaml"), "s.yaml").data
        assert spec is not None
        assert manifest["spec_hash"] == spec_hash(spec) == entry["spec_hash"]
        when = int(remote_git(world, "show", "-s", "--format=%ct", merge_sha))
        stamp = datetime.fromtimestamp(when, UTC)
        assert manifest["released_at"] == stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
        assert version == stamp.strftime("%Y-%m") + "." + manifest["spec_hash"][7:15]
        assert manifest["artifacts"] == _expected_artifacts(
            world, merge_sha, slug, manifest["spec_hash"]
        )
        catalogs = {c["path"]: c["digest"] for c in manifest["catalogs"]}
        for ref in (spec["catalog"]["dcat"], spec["catalog"]["stac"], spec["catalog"]["prov"]):
            path = f"specs/{slug}/{ref}"
            blob = show(world, f"{merge_sha}:{path}")
            assert catalogs[path] == "sha256:" + hashlib.sha256(blob).hexdigest()
        decision = json.loads(show(world, f"{where}/policy_decision.json"))
        assert decision["decision_id"] == decision_id_for(decision)
        assert manifest["policy"]["decision_id"] == decision["decision_id"]
        assert decision["decision"] == "allow" and decision["dataset_slug"] == slug
        people = {a["principal"].split(":")[2] for a in manifest["approvals"]}
        assert people and people <= {"mara-osei", "noor-haddad"}
        assert all(a["approved_at"].endswith("Z") for a in manifest["approvals"])
    roles = {a["role"] for a in manifest["approvals"]}  # the restricted dataset, merged last
    assert roles >= {"data", "sensitivity"}
    by_login = {r["user"]["login"]: r["submitted_at"] for r in reviews}
    for a in manifest["approvals"]:
        assert a["approved_at"] == by_login[a["principal"].split(":")[2]]


def test_commit_by_the_bot_names_dataset_version_pr_and_digest(scene: dict[str, Any]) -> None:
    world = scene["world"]
    raw = remote_git(world, "show", "main:registry/ledger.jsonl").splitlines()
    for entry, line in zip(ledger_lines(world), raw, strict=True):
        tag = f"{entry['dataset_slug']}/{entry['dataset_version_id']}"
        anchor = f"{entry['seq']} sha256:{hashlib.sha256(line.encode()).hexdigest()}"
        commit = remote_git(world, "rev-parse", f"refs/tags/{tag}^{{commit}}")
        who = remote_git(world, "show", "-s", "--format=%an <%ae>|%cn <%ce>", commit)
        assert who == "|".join(["kfm-bot[bot] <kfm-bot[bot]@users.noreply.github.com>"] * 2)
        message = remote_git(world, "show", "-s", "--format=%B", commit)
        subject = message.splitlines()[0]
        assert entry["dataset_slug"] in subject and entry["dataset_version_id"] in subject
        assert f"PR #{entry['pr_number']}" in subject
        assert message.splitlines()[-2:] == [  # the trailers: the manifest, the ledger line
            f"Kfm-Manifest-Digest: {entry['manifest_digest']}",
            f"Kfm-Ledger-Line: {anchor}",
        ]
        assert remote_git(world, "cat-file", "-t", f"refs/tags/{tag}") == "tag"
        body = remote_git(world, "cat-file", "-p", f"refs/tags/{tag}")
        assert f"Manifest-Digest: {entry['manifest_digest']}" in body
        assert body.endswith(f"\nLedger-Line: {anchor}")  # git strips the final newline
        assert "tagger kfm-bot[bot]" in body
        found = remote_git(world, "log", "--format=%H", f"--grep=Kfm-Promotion: {tag}", "main")
        assert found.split() == [commit]


def test_release_carries_the_manifest(scene: dict[str, Any]) -> None:
    world = scene["world"]
    entries = ledger_lines(world)
    releases = [r for r in world.emu.core.state.releases if r.repo == "org/data"]
    assert sorted(r.tag_name for r in releases) == sorted(
        f"{e['dataset_slug']}/{e['dataset_version_id']}" for e in entries
    )
    for release in releases:
        slug, version = release.tag_name.split("/")
        manifest = show(world, f"main:registry/promotions/{slug}/{version}/promotion_manifest.json")
        names = [assets.asset(a).name for a in release.assets]
        assert names == ["promotion_manifest.json", "promotion_statement.dsse.json"]
        assert assets.data(release.assets[0]) == manifest
        statement = f"main:registry/promotions/{slug}/{version}/promotion_statement.dsse.json"
        assert assets.data(release.assets[1]) == show(world, statement)
    answer = requests.get(
        f"{world.emu.base_url}/repos/org/data/releases/tags/{releases[0].tag_name}",
        headers={"Authorization": f"token {world.bot}"},
        timeout=10,
    ).json()
    assert [a["name"] for a in answer["assets"]] == [
        "promotion_manifest.json",
        "promotion_statement.dsse.json",
    ]


def test_ledger_verify_names_an_edited_or_dropped_line(scene: dict[str, Any]) -> None:
    where = clone(scene["world"], "audit")
    ledger = where / "registry" / "ledger.jsonl"
    lines = ledger.read_bytes().splitlines(keepends=True)
    command = ("ledger", "verify", "--repo", str(where))
    ledger.write_bytes(lines[0].replace(b'"pr_number":1', b'"pr_number":7') + b"".join(lines[1:]))
    edited = kfm_bot(*command)
    assert edited.returncode == 1 and "ledger.jsonl:2:" in edited.stderr
    assert "line 1 was edited" in edited.stderr  # line 2 no longer chains to it
    ledger.write_bytes(lines[0] + lines[2])
    dropped = kfm_bot(*command)
    assert dropped.returncode == 1 and "ledger.jsonl:2:" in dropped.stderr, dropped.stderr
    ledger.write_bytes(b"".join(lines))
    intact = kfm_bot(*command)
    assert intact.returncode == 0, intact.stderr
