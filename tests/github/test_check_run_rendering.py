"""Check runs that read well: what a steward sees on GitHub, rendered and photographed."""

from __future__ import annotations

from pathlib import Path

import pytest

from kfm_bot.approvals.check_run_state import PREFIX
from tests.github.rendering import (
    HEIGHT,
    REQUIRE_CHROMIUM,
    WIDTH,
    chromium_or_skip,
    page,
    png_size,
    screenshot,
    to_html,
    visible_text,
)
from tests.github.test_e2e_approvals import APPROVALS, GATES, ok
from tests.github.world import World

pytestmark = pytest.mark.slow  # emulator worlds and a browser: left out of `make test-fast`

WELLS_SOURCE = "registry/sources/kgs-water-wells.yaml"


def licence_pr(world: World) -> tuple[int, str]:
    """A PR that changes a source's licence to one the gates refuse: a failing gate B, a
    licence change to approve, and the wells dataset's lineage."""
    text = (world.work / WELLS_SOURCE).read_text()
    assert "spdx: CC-BY-4.0" in text
    sha = world.push(
        "relicence", {WELLS_SOURCE: text.replace("spdx: CC-BY-4.0", "spdx: NOT-A-LICENSE", 1)}
    )
    return world.emu.open_pull("org", "data", "relicence", author="alice"), sha


def test_check_runs_read_well_and_hide_the_carried_state(world: World, tmp_path: Path) -> None:
    number, sha = licence_pr(world)
    ok(world.workflow_run(number))
    runs = world.check_runs(sha)
    gates, approvals = runs[GATES]["output"], runs[APPROVALS]["output"]
    summary = gates["summary"]
    # passing gates in one line; only the others in the table
    assert "✅ Passed: A " in summary
    table = summary.split("| gate | name |")[1].split("\n\n")[0]
    assert "✅ pass" not in table and "❌ fail" in table
    # each finding links to its file and line at the head commit
    link = f"(https://github.com/org/data/blob/{sha}/{WELLS_SOURCE}#L"
    assert link in summary, summary
    # each dataset's status, and the lineage of the changed dataset as Mermaid
    # (the wells read the source whose licence fails)
    assert "| `ks_water_wells` | ❌ 1 error |" in summary and "#### Datasets" in summary
    assert (
        "```mermaid\nflowchart LR" in summary
        and "Lineage of <code>ks_water_wells</code>" in summary
    )
    # approvals open with what changed, in words; the stewards who can give what is missing
    text = approvals["summary"]
    assert text.index("licence CC-BY-4.0 → NOT-A-LICENSE") < text.index("#### Approvals")
    assert "Who can give what is missing" in text
    # the carried state is there for the bot, and out of sight for people
    assert PREFIX in approvals["text"]
    state = approvals["text"].split(PREFIX)[1].split(" -->")[0]
    shown = visible_text(to_html(approvals["summary"] + "\n\n" + approvals["text"]))
    assert state not in shown and "kfm-approvals-state" not in shown
    assert "What changed" in shown and "NOT-A-LICENSE" in shown
    html = page(
        [
            ("kfm-bot / approvals", approvals["summary"] + "\n\n" + approvals["text"]),
            ("kfm-bot / gates", summary),
        ]
    )
    assert state not in visible_text(html)
    chromium_or_skip()
    png = screenshot(html, tmp_path)
    (tmp_path / "blank").mkdir()
    blank = screenshot(page([("", "")]), tmp_path / "blank")
    assert png_size(png) == (WIDTH, HEIGHT)
    assert png.stat().st_size > 3 * blank.stat().st_size  # text was drawn
    # The README's picture (.github/readme/check-run.png) is this file: to refresh it, run
    # this test with `--basetemp DIR` and copy DIR/<test>/check-run.png there.


def test_without_chromium_a_developer_skips_and_ci_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(REQUIRE_CHROMIUM, raising=False)
    with pytest.raises(pytest.skip.Exception, match="chromium is not installed"):
        chromium_or_skip(None)
    monkeypatch.setenv(REQUIRE_CHROMIUM, "1")
    with pytest.raises(pytest.fail.Exception, match=f"{REQUIRE_CHROMIUM}=1 requires it"):
        chromium_or_skip(None)
    assert chromium_or_skip("/usr/bin/chromium") == "/usr/bin/chromium"
