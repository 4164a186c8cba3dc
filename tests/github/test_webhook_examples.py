"""Every real webhook payload through `kfm-bot action`: no crash, and exit 0 when ignored."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kfm_bot.cli import main
from kfm_bot.emulator import Emulator
from kfm_bot.emulator.testing import running_emulator
from tests.gitrepo import init_example_repo

EXAMPLES = sorted(
    (
        Path(__file__).resolve().parents[2] / "kfm_bot" / "emulator" / "data" / "webhook-examples"
    ).glob("*.json")
)
# The examples the bot acts on; every other one is ignored with exit 0.
ACTED_ON = {
    "pull_request.opened",
    "pull_request.reopened",
    "pull_request.synchronize",
    "pull_request.ready_for_review",
    "pull_request_review.submitted",
    "pull_request_review.dismissed",
    "workflow_run.completed",
    "merge_group.checks_requested",
}


@pytest.fixture(scope="module")
def setting(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Emulator, str, Path]]:
    tmp = tmp_path_factory.mktemp("webhooks")
    with running_emulator(tmp) as emu:
        token = emu.add_user("kfm-bot[bot]", 4410099, type="Bot")
        yield emu, token, init_example_repo(tmp / "checkout")


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_example_goes_through_action(
    example: Path,
    setting: tuple[Emulator, str, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    emu, token, checkout = setting
    monkeypatch.setenv("GITHUB_EVENT_NAME", example.stem.split(".")[0])
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(example))
    monkeypatch.setenv("GITHUB_TOKEN", token)
    monkeypatch.setenv("GITHUB_REPOSITORY", "Codertocat/Hello-World")
    monkeypatch.setenv("GITHUB_API_URL", emu.base_url)
    monkeypatch.setenv("GITHUB_WORKSPACE", str(checkout))
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    with pytest.raises(SystemExit) as done:
        main(["action"])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and "internal error" not in err, err
    assert token not in out + err
    if example.stem in ACTED_ON:
        # the example's repository and commits exist nowhere here: a clear error, never a crash
        assert done.value.code in (0, 1, 2, 3), err
        assert done.value.code == 0 or err.startswith("kfm-bot: error: "), err
    else:
        assert done.value.code == 0, err
        assert "ignored" in out


def test_outside_a_workflow_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for name in ("GITHUB_EVENT_NAME", "GITHUB_EVENT_PATH"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(SystemExit) as done:
        main(["action"])
    assert done.value.code == 2 and "GITHUB_EVENT_PATH is not set" in capsys.readouterr().err
    bad = tmp_path / "event.json"
    bad.write_text("[1, 2")
    monkeypatch.setenv("GITHUB_EVENT_NAME", "pull_request")
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(bad))
    with pytest.raises(SystemExit) as done:
        main(["action"])
    assert done.value.code == 2 and "not valid JSON" in capsys.readouterr().err
