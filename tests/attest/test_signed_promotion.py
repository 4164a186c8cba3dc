"""End to end on the emulator: a promotion with KFM_SIGNING_KEY commits a signed statement
beside the manifest, attaches it to the release, carries it in the export pack, and
`kfm-bot verify` accepts it offline; a flipped byte or an untrusted key is refused."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from kfm_bot.emulator.testing import running_emulator
from tests.attest.keys import entry, new_key, policy_yaml, seed_b64
from tests.attest.world import publish_keys
from tests.cli import kfm_bot
from tests.github.world import make_world
from tests.promotion.world import change_dataset, clone, ledger_lines, merge, promote

pytestmark = pytest.mark.slow

SLUG = "ks_water_wells"


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("signed")
    key = new_key()
    with running_emulator(tmp) as emu:
        world = make_world(emu, tmp)
        # A maintainer listed the bot's key on main earlier (as a merged policy change would).
        publish_keys(world, policy_yaml(entry("kfm-bot-2026", key, "2000-01-01T00:00:00Z")))
        number = change_dataset(world, SLUG, "Signed", "pr1")
        merge(world, number)
        ci = clone(world, "ci")
        run = promote(world, ci, "--push", "--release", KFM_SIGNING_KEY=seed_b64(key))
        yield {"world": world, "run": run, "checkout": clone(world, "after"), "key": key}


def _folder(scene: dict[str, Any]) -> Path:
    entry_ = ledger_lines(scene["world"])[-1]
    checkout: Path = scene["checkout"]
    return checkout / f"registry/promotions/{SLUG}/{entry_['dataset_version_id']}"


def test_promotion_says_it_signed_and_never_echoes_the_key(scene: dict[str, Any]) -> None:
    run = scene["run"]
    assert run.returncode == 0, run.stdout + run.stderr
    assert "signed promotion statement" in run.stdout and "kfm-bot-2026" in run.stdout
    assert seed_b64(scene["key"]) not in run.stdout + run.stderr
    assert (_folder(scene) / "promotion_statement.dsse.json").is_file()


def test_verify_accepts_the_committed_statement_offline(scene: dict[str, Any]) -> None:
    done = kfm_bot("verify", _folder(scene), "--repo", scene["checkout"])
    assert done.returncode == 0, done.stdout + done.stderr
    assert "signed by key kfm-bot-2026" in done.stdout


def test_release_has_the_statement_attached(scene: dict[str, Any]) -> None:
    world = scene["world"]
    tag = f"{SLUG}/{ledger_lines(world)[-1]['dataset_version_id']}"
    answer = requests.get(
        f"{world.emu.base_url}/repos/org/data/releases/tags/{tag}",
        headers={"Authorization": f"token {world.bot}"},
        timeout=10,
    )
    names = [a["name"] for a in answer.json()["assets"]]
    assert "promotion_statement.dsse.json" in names and "promotion_manifest.json" in names


def test_export_pack_carries_the_statement_and_verify_checks_it(
    scene: dict[str, Any], tmp_path: Path
) -> None:
    version = ledger_lines(scene["world"])[-1]["dataset_version_id"]
    out = tmp_path / "pack"
    made = kfm_bot(
        "export",
        "--repo",
        scene["checkout"],
        "--slug",
        SLUG,
        "--version",
        version,
        "--out",
        out,
    )
    assert made.returncode == 0, made.stdout + made.stderr
    assert (
        out / _folder(scene).relative_to(scene["checkout"]) / "promotion_statement.dsse.json"
    ).is_file()
    done = kfm_bot("verify", out, "--repo", scene["checkout"])
    assert done.returncode == 0, done.stdout + done.stderr
    assert "signed by key kfm-bot-2026" in done.stdout


def test_flipped_byte_and_untrusted_key_are_refused(scene: dict[str, Any], tmp_path: Path) -> None:
    folder = tmp_path / "copy"
    subprocess.run(["cp", "-r", str(_folder(scene)), str(folder)], check=True)
    statement = folder / "promotion_statement.dsse.json"
    envelope = json.loads(statement.read_text())
    sig = envelope["signatures"][0]["sig"]
    envelope["signatures"][0]["sig"] = ("B" if sig[0] != "B" else "C") + sig[1:]
    statement.write_text(json.dumps(envelope))
    done = kfm_bot("verify", folder, "--repo", scene["checkout"])
    assert done.returncode == 1
    assert "does not verify" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    keys = tmp_path / "other_keys.yaml"
    keys.write_text(policy_yaml(entry("kfm-bot-2026", new_key(), "2000-01-01T00:00:00Z")))
    done = kfm_bot("verify", _folder(scene), "--key", keys)
    assert done.returncode == 1 and "does not verify" in done.stderr
