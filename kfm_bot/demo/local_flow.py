"""Demo, part one: a contributor checks a new dataset locally before opening a pull request."""

from __future__ import annotations

from pathlib import Path

from kfm_bot.demo import project
from kfm_bot.demo.narrator import Narrator
from kfm_bot.demo.zones import DemoZones
from kfm_bot.git.command import git

MAINTAINER = project.git_env("Mara Osei", "mara@kfm.example.org", "2026-11-02T09:00:00Z")
CONTRIBUTOR = project.git_env("Ada Contributor", "ada@example.org", "2026-11-06T14:00:00Z")


def run(n: Narrator, workdir: Path, zones: DemoZones) -> Path:
    n.step("A governed repository with the example content")
    repo = project.init_repo(workdir / "local" / "governed-data", MAINTAINER, zones)
    n.say(f"{repo} holds registry/ (sources), specs/ (3 datasets), policies/ and schemas/.")
    n.run(["check", "--all", "--format", "text"], repo)

    n.step("A contributor adds a dataset on a branch, with a mistake")
    git(repo, "checkout", "-q", "-b", "add-county-seats", env=CONTRIBUTOR)
    path = project.add_dataset(repo, mistake=True, zones=zones)
    n.say(
        f"{path}/ is new: spec.yaml, catalog triplet, run receipt, QA report, fixture. The "
        f"pipeline run also wrote {project.ZONE_URI} into the processed zone ({zones.processed}); "
        "the receipt names it with its digest and size, and the spec marks it `publish: true`. "
        "After the pipeline ran, the contributor 'simplified' the spec: `version: latest`."
    )
    n.run(["check"], repo)
    n.say("Each finding names its rule, file, line and column, and says how to fix it.")

    n.step("The contributor pins the tool again and re-runs the pipeline")
    project.fix_dataset(repo)
    git(repo, "add", "-A", env=CONTRIBUTOR)
    git(repo, "commit", "-q", "-m", "Add Kansas county seats", env=CONTRIBUTOR)
    n.run(["check", "--format", "markdown"], repo)
    n.run(["hash", f"{path}/spec.yaml"], repo)
    return repo
