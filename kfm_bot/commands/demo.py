"""`kfm-bot demo`: the life of a pull request, narrated, on local git and the GitHub emulator."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from kfm_bot.demo.narrator import Narrator

from kfm_bot.errors import EXIT_FAILED, EXIT_OK, UsageError


@click.command()
@click.option(
    "--workdir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Keep the repositories and emulator state here for inspection (must be empty or new).",
)
def demo(workdir: Path | None) -> int:
    """Open a PR, check it, fix it, approve it, merge it, promote it, tag it."""
    from kfm_bot.demo.narrator import Narrator
    from kfm_bot.emulator import extra

    if (why := extra.missing()) is not None:  # before any output: not half a demo
        raise UsageError(why)
    if workdir is not None:
        if workdir.exists() and any(workdir.iterdir()):
            raise UsageError(f"{workdir} is not empty; pass a new or empty directory")
        workdir.mkdir(parents=True, exist_ok=True)
        narrator = Narrator()
        code = _run(narrator, workdir.resolve())
        narrator.say(
            f"Kept in {workdir}: github/ (the emulator's state.json and the remote "
            "repositories with their tags), ada-clone/, actions-checkout/, published/, "
            "events/ (every event payload), export/ and export.tar.gz (the export pack) and local/."
        )
        return code
    with tempfile.TemporaryDirectory(prefix="kfm-demo-") as tmp:
        narrator = Narrator()
        code = _run(narrator, Path(tmp))
    narrator.say(
        "Everything ran in a temporary folder, now removed; "
        "`kfm-bot demo --workdir DIR` keeps it for inspection."
    )
    return code


def _run(n: Narrator, workdir: Path) -> int:
    from kfm_bot.demo import local_flow, pr_flow

    local_flow.run(n, workdir)
    if not pr_flow.run(n, workdir):
        n.say("The demo did not reach a promoted release: see the output above.")
        return EXIT_FAILED
    n.step("Done: opened, checked, fixed, approved, merged, promoted, tagged, exported, verified")
    return EXIT_OK
