"""End to end: a PR pushed to the emulator, `kfm-bot action`, check runs with annotations."""

from __future__ import annotations

import pytest

from tests.github.world import World

pytestmark = pytest.mark.slow  # subprocesses or emulator worlds: left out of `make test-fast`

SOURCE = "registry/sources/us-census-tiger-counties.yaml"


def bad_license(world: World) -> tuple[dict[str, str | None], int]:
    """The source entry with an invalid SPDX id, and the line it sits on."""
    lines = (world.work / SOURCE).read_text().splitlines()
    line = next(i for i, t in enumerate(lines, 1) if t.strip().startswith("spdx:"))
    lines[line - 1] = "  spdx: NOT-A-LICENSE"
    return {SOURCE: "\n".join(lines) + "\n"}, line


def test_pull_request_posts_gates_with_annotation(world: World) -> None:
    files, line = bad_license(world)
    sha = world.push("feat", files, "bad license")
    number = world.emu.open_pull("org", "data", "feat", author="alice")
    done = world.run("pull_request", world.pull_event(number), isolated=True)
    print(done.stdout, done.stderr)
    assert done.returncode == 1, done.stderr
    runs = world.check_runs(sha)
    gates = runs["kfm-bot / gates"]
    assert gates["status"] == "completed" and gates["conclusion"] == "failure"
    notes = world.annotations(gates["id"])
    assert any(n["path"] == SOURCE and n["start_line"] == line for n in notes), notes


def test_rerun_updates_the_same_check_run_in_one_request(world: World) -> None:
    files, _ = bad_license(world)
    sha = world.push("feat", files, "bad license")
    number = world.emu.open_pull("org", "data", "feat", author="alice")
    payload = world.pull_event(number)
    assert world.run("pull_request", payload).returncode == 1
    first = world.check_runs(sha)["kfm-bot / gates"]
    notes = len(world.annotations(first["id"]))
    before = len(world.emu.requests)
    assert world.run("pull_request", payload).returncode == 1
    runs = world.api(f"/repos/org/data/commits/{sha}/check-runs")["check_runs"]
    assert [r["id"] for r in runs if r["name"] == "kfm-bot / gates"] == [first["id"]]
    writes = [(r.method, r.path) for r in world.emu.requests[before:] if r.method != "GET"]
    assert writes == [("PATCH", f"/repos/org/data/check-runs/{first['id']}")]
    assert len(world.annotations(first["id"])) == notes  # not added a second time
    summary = (world.tmp / "step-summary.md").read_text()
    assert "| B |" in summary and SOURCE in summary


def test_check_runs_never_echo_a_restricted_fixture_coordinate(world: World) -> None:
    secret = "38.9512345"
    fixture = (
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, '
        f'"geometry": {{"type": "Point", "coordinates": [-95.2512345, {secret}]}}}}]}}\n'
    )
    lines = (world.work / SOURCE).read_text().splitlines()
    line = next(i for i, t in enumerate(lines, 1) if t.strip().startswith("spdx:"))
    lines[line - 1] = f"  spdx: '{secret}'"  # a PR-controlled value that a message may quote
    files: dict[str, str | None] = {
        "specs/archaeo_site_density/fixtures/leak.geojson": fixture,
        SOURCE: "\n".join(lines) + "\n",
    }
    sha = world.push("leak", files, "precise sites", base="main")
    number = world.emu.open_pull("org", "data", "leak", author="alice")
    done = world.run("pull_request", world.pull_event(number))
    assert done.returncode == 1, done.stderr
    gates = world.check_runs(sha)["kfm-bot / gates"]
    shown = str(gates["output"]) + str(world.annotations(gates["id"])) + done.stdout
    shown += (world.tmp / "step-summary.md").read_text()
    assert secret not in shown and "95.2512345" not in shown
    assert "[redacted]" in shown  # the quoted value was there, and the self-check caught it
