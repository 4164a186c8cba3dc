"""Without KFM_SIGNING_KEY a promotion lands and says its statement is unsigned, and verify
reports `unsigned` (not invalid); once policies/signing_keys.yaml requires signing, a promotion
without a key refuses before writing anything."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kfm_bot.emulator.testing import running_emulator
from tests.attest.keys import policy_yaml
from tests.attest.world import publish_keys
from tests.cli import kfm_bot
from tests.github.world import make_world
from tests.promotion.world import change_dataset, clone, ledger_lines, merge, promote

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("unsigned")
    with running_emulator(tmp) as emu:
        world = make_world(emu, tmp)
        merge(world, change_dataset(world, "ks_water_wells", "Unsigned", "pr1"))
        first = promote(world, clone(world, "ci1"), "--push")
        after_first = clone(world, "after1")
        publish_keys(world, policy_yaml(require=True))
        merge(world, change_dataset(world, "ks_county_boundaries", "Required", "pr2"))
        second = promote(world, clone(world, "ci2"), "--push")
        yield {
            "world": world,
            "first": first,
            "second": second,
            "after_first": after_first,
        }


def test_promotion_without_a_key_lands_and_says_unsigned(scene: dict[str, Any]) -> None:
    run = scene["first"]
    assert run.returncode == 0, run.stdout + run.stderr
    assert "UNSIGNED promotion statement registry/promotions/ks_water_wells/" in run.stdout


def test_verify_reports_unsigned_apart_from_invalid(scene: dict[str, Any]) -> None:
    checkout: Path = scene["after_first"]
    version = ledger_lines(scene["world"])[0]["dataset_version_id"]
    folder = checkout / f"registry/promotions/ks_water_wells/{version}"
    done = kfm_bot("verify", folder, "--repo", checkout)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith("unsigned (its digests match, but no key vouches for it)")


def test_a_policy_that_requires_signing_refuses_an_unsigned_promotion(
    scene: dict[str, Any],
) -> None:
    run = scene["second"]
    assert run.returncode == 1
    assert "requires signed promotion statements but $KFM_SIGNING_KEY is not set" in run.stderr
    assert [e["dataset_slug"] for e in ledger_lines(scene["world"])] == ["ks_water_wells"]
