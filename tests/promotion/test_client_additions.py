"""The client methods promotion needs, against the emulator: merged PRs of a commit, releases.

Release asset uploads go to GitHub's uploads host, outside the emulator's OpenAPI subset: the
emulator checks them by hand (kfm_bot/emulator/assets.py), which these tests exercise.
"""

from __future__ import annotations

import pytest
import requests

from kfm_bot.github.interface import GitHubError, NotFound
from kfm_bot.github.pygithub_client import PyGithubClient
from kfm_bot.github.retry import RetryPolicy
from tests.github.world import World
from tests.promotion.world import change_dataset, merge, remote_git

FAST = RetryPolicy(attempts=2, max_total=2.0, base_delay=0.01, max_delay=0.01)


def client(world: World, token: str | None = None) -> PyGithubClient:
    return PyGithubClient(token or world.bot, "org/data", world.emu.base_url, FAST)


def test_every_commit_of_a_rebase_merge_belongs_to_its_pull(world: World) -> None:
    number = change_dataset(world, "ks_water_wells", "Revised", "feat", commits=2)
    before = remote_git(world, "rev-parse", "main")
    tip = merge(world, number, "rebase")
    rebased = remote_git(world, "rev-list", f"{before}..{tip}").split()
    assert len(rebased) == 2
    gh = client(world)
    for sha in rebased:
        pulls = gh.pulls_with_commit(sha)
        assert [(p.number, p.merged, p.merge_commit_sha) for p in pulls] == [(number, True, tip)]
    assert gh.pulls_for_commit(tip) == []  # open PRs only, as before


def test_release_lookup_and_asset_upload(world: World) -> None:
    gh = client(world)
    with pytest.raises(NotFound):
        gh.get_release_by_tag("ks_water_wells/2026-11.00000000")
    gh.create_release("ks_water_wells/2026-11.00000000", "title", "body")
    release = gh.get_release_by_tag("ks_water_wells/2026-11.00000000")
    assert release.assets == () and release.upload_url.endswith(f"/releases/{release.id}/assets")
    gh.upload_asset(release, "promotion_manifest.json", b'{"a": 1}\n', "application/json")
    assert gh.get_release_by_tag(release.tag).assets == ("promotion_manifest.json",)
    with pytest.raises(GitHubError) as again:
        gh.upload_asset(release, "promotion_manifest.json", b"{}", "application/json")
    assert again.value.status == 422
    reader = world.emu.add_token("kfm-bot[bot]", read_only=True)
    with pytest.raises(GitHubError) as denied:
        client(world, reader).upload_asset(release, "other.json", b"{}", "application/json")
    assert denied.value.status == 403


def test_malformed_uploads_are_violations(world: World) -> None:
    release = client(world).create_release("t/1", "t", "b")
    url = f"{world.emu.base_url}/repos/org/data/releases/{release}/assets"
    auth = {"Authorization": f"token {world.bot}"}
    for query, headers, body in (
        ("", {"Content-Type": "application/json"}, b"{}"),  # no name
        ("?name=a/b.json", {"Content-Type": "application/json"}, b"{}"),  # not a file name
        ("?name=a.json", {"Content-Type": "application/json"}, b""),  # empty
    ):
        answer = requests.post(url + query, data=body, headers={**auth, **headers}, timeout=10)
        assert answer.status_code == 500
    assert len(world.emu.violations) == 3
    world.emu.violations.clear()
