"""`kfm-bot demo`: the life of a pull request, narrated, on local git and the GitHub emulator."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from kfm_bot.demo.narrator import Narrator
    from kfm_bot.demo.zones import DemoZones

from kfm_bot.errors import EXIT_FAILED, EXIT_OK, UsageError


@click.command()
@click.option(
    "--workdir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Keep the repositories and emulator state here for inspection (must be empty or new).",
)
@click.option(
    "--s3",
    is_flag=True,
    help="Zones on a SeaweedFS S3 server started on loopback for the demo (`make demo-s3`).",
)
def demo(workdir: Path | None, s3: bool) -> int:
    """Open a PR, check it, fix it, approve it, merge it, promote it, tag it."""
    from kfm_bot.demo.narrator import Narrator
    from kfm_bot.emulator import extra

    if (why := extra.missing()) is not None:  # before any output: not half a demo
        raise UsageError(why)
    if s3:
        from kfm_bot.emulator.seaweed import weed_binary

        try:
            weed_binary()
        except FileNotFoundError as exc:
            raise UsageError(str(exc)) from None
    if workdir is not None:
        if workdir.exists() and any(workdir.iterdir()):
            raise UsageError(f"{workdir} is not empty; pass a new or empty directory")
        workdir.mkdir(parents=True, exist_ok=True)
        narrator = Narrator()
        code = _run(narrator, workdir.resolve(), s3)
        narrator.say(
            f"Kept in {workdir}: github/ (the emulator's state.json and the remote "
            "repositories with their tags), ada-clone/, actions-checkout/, published/, "
            "events/ (every event payload), export/ and export.tar.gz (the export pack), "
            "bundle/ and bundle.tar.gz (the rendered geojson_bundle) and local/."
        )
        return code
    with tempfile.TemporaryDirectory(prefix="kfm-demo-") as tmp:
        narrator = Narrator()
        code = _run(narrator, Path(tmp), s3)
    narrator.say(
        "Everything ran in a temporary folder, now removed; "
        "`kfm-bot demo --workdir DIR` keeps it for inspection."
    )
    return code


def _run(n: Narrator, workdir: Path, s3: bool) -> int:
    if not s3:
        from kfm_bot.demo.zones import file_zones

        return _life(
            n, workdir, file_zones(workdir / "local" / "zones"), file_zones(workdir / "zones")
        )
    from kfm_bot.demo.zones import s3_zones
    from kfm_bot.emulator.seaweed import BUCKET, seaweed

    n.step("An S3 server: SeaweedFS on loopback, for the zones")
    with seaweed(workdir / "seaweed") as server:  # SIGKILLed by its pid when the demo ends
        n.say(
            f"weed server -s3 at {server.endpoint} (pid {server.pid}), bucket {BUCKET!r}. "
            "AWS_ENDPOINT_URL and the credentials go to the demo's child processes only."
        )
        n.child_env = server.env()
        local = s3_zones(BUCKET, "local", server.env())
        return _life(n, workdir, local, s3_zones(BUCKET, "governed-data", server.env()))


def _life(n: Narrator, workdir: Path, local: DemoZones, github: DemoZones) -> int:
    from kfm_bot.demo import local_flow, pr_flow

    local_flow.run(n, workdir, local)
    if not pr_flow.run(n, workdir, github):
        n.say("The demo did not reach a promoted release: see the output above.")
        return EXIT_FAILED
    n.step(
        "Done: opened, checked, fixed, approved, merged, promoted, published, exported, verified"
    )
    return EXIT_OK
