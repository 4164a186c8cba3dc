"""Key rotation on the emulator: after main lists a new key and gives the old one a
valid_until, the next promotion signs with the new key, and the statement the old key signed
before then still verifies against the rotated policy."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from kfm_bot.emulator.testing import running_emulator
from tests.attest.keys import entry, new_key, policy_yaml, seed_b64
from tests.attest.world import publish_keys
from tests.cli import kfm_bot
from tests.github.world import make_world
from tests.promotion.world import change_dataset, clone, ledger_lines, merge, promote

pytestmark = pytest.mark.slow

START = "2000-01-01T00:00:00Z"


def _later(stamp: str) -> str:
    moment = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return (moment + timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("rotation")
    old, new = new_key(), new_key()
    with running_emulator(tmp) as emu:
        world = make_world(emu, tmp)
        publish_keys(world, policy_yaml(entry("old", old, START)))
        merge(world, change_dataset(world, "ks_water_wells", "Old", "pr1"))
        first = promote(world, clone(world, "ci1"), "--push", KFM_SIGNING_KEY=seed_b64(old))
        released = ledger_lines(world)[0]["recorded_at"]
        # Rotation: the old key's window ends just after its last statement; the new one's
        # starts at it (windows may overlap), so the test needs no clock.
        publish_keys(
            world,
            policy_yaml(entry("old", old, START, _later(released)), entry("new", new, released)),
        )
        merge(world, change_dataset(world, "ks_county_boundaries", "New", "pr2"))
        second = promote(world, clone(world, "ci2"), "--push", KFM_SIGNING_KEY=seed_b64(new))
        yield {"world": world, "runs": (first, second), "checkout": clone(world, "after")}


def _folder(scene: dict[str, Any], n: int) -> Path:
    line = ledger_lines(scene["world"])[n]
    checkout: Path = scene["checkout"]
    return checkout / f"registry/promotions/{line['dataset_slug']}/{line['dataset_version_id']}"


def test_both_promotions_are_signed_by_the_key_of_their_time(scene: dict[str, Any]) -> None:
    first, second = scene["runs"]
    assert first.returncode == 0 and "with key old" in first.stdout, first.stdout + first.stderr
    assert second.returncode == 0 and "with key new" in second.stdout, second.stderr


@pytest.mark.parametrize(("n", "key_id"), [(0, "old"), (1, "new")])
def test_statements_verify_against_the_rotated_policy(
    scene: dict[str, Any], n: int, key_id: str
) -> None:
    done = kfm_bot("verify", _folder(scene, n), "--repo", scene["checkout"])
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"signed by key {key_id}," in done.stdout
