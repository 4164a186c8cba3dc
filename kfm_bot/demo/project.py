"""The demo's repository: the example content in a fresh git repo, and the dataset a PR adds."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from kfm_bot.demo.zones import MEDIA_TYPE, DemoZones, seats_geojson, write_processed
from kfm_bot.errors import UsageError
from kfm_bot.git.command import git

CONTENT = ("registry", "specs", "policies", "schemas")
TEMPLATE = "ks_county_boundaries"
NEW_SLUG = "ks_county_seats"
NEW_TITLE = "Kansas County Seats"
MISTAKE = ('version: "0.6.79"', "version: latest")  # the mapshaper pin, unpinned
ZONE_KEY = f"{NEW_SLUG}/{NEW_SLUG}.geojson"  # the pipeline's output in the processed zone
ZONE_URI = f"processed/{ZONE_KEY}"
EXPORT_DECIMALS = 2  # the redaction plan: seats are published to about a kilometre
# The plan the new spec carries: the pipeline keeps four places in the processed zone, and
# every rendered export generalises them (kfm_bot/export/generalise.py).
REDACTION = (
    "redaction:\n"
    "  method: generalize\n"
    f"  precision_decimals: {EXPORT_DECIMALS}\n"
    "  description: >-\n"
    "    Seat positions are rendered to two decimal places (about 1 km) in every export;\n"
    "    the pipeline's four-place positions stay in the processed and published zones.\n"
)


def project_root() -> Path:
    """The folder holding the example content the demo uses: the copy an installed wheel
    ships (the build backend, .ci/kfm_build.py, puts it in kfm_bot/demo/content/), else the
    checkout's own top-level folders (an editable install, or running from the source tree)."""
    here = Path(__file__).resolve().parent
    for root in (here / "content", here.parents[1]):
        if all((root / name).is_dir() for name in CONTENT):
            return root
    raise UsageError(
        "the example content is missing: install kfm-bot from a wheel or run it from a checkout"
    )


def git_env(name: str, email: str, when: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        {
            "GIT_AUTHOR_NAME": name,
            "GIT_AUTHOR_EMAIL": email,
            "GIT_AUTHOR_DATE": when,
            "GIT_COMMITTER_NAME": name,
            "GIT_COMMITTER_EMAIL": email,
            "GIT_COMMITTER_DATE": when,
            "GIT_CONFIG_NOSYSTEM": "1",
        }
    )
    return env


def init_repo(dest: Path, env: dict[str, str], zones: DemoZones) -> Path:
    """A git repository on `main` holding the example content, as the project's first commit,
    with the demo's zones in policies/storage.yaml."""
    copy_content(dest, zones)
    git(dest, "init", "-q", "-b", "main", env=env)
    git(dest, "add", "-A", env=env)
    git(dest, "commit", "-q", "-m", "Governed datasets: example content", env=env)
    return dest


def copy_content(dest: Path, zones: DemoZones) -> None:
    """The example content into `dest`, its storage.yaml naming the demo's zones."""
    root = project_root()
    dest.mkdir(parents=True)
    for name in CONTENT:
        shutil.copytree(root / name, dest / name)
    (dest / "policies" / "storage.yaml").write_text(zones.storage_yaml())


def add_dataset(repo: Path, mistake: bool, zones: DemoZones) -> str:
    """Copy the template dataset under a new slug and 'run its pipeline' (evidence refreshed):
    the run writes the dataset's GeoJSON into the processed zone and its receipt names it;
    the spec marks it `publish: true`, so promotion copies it to the published zone, and
    carries a redaction plan that rendered exports apply."""
    from kfm_bot.scaffold.refresh import refresh

    src, dst = repo / "specs" / TEMPLATE, repo / "specs" / NEW_SLUG
    shutil.copytree(src, dst)
    for path in sorted(p for p in dst.rglob("*") if p.is_file()):
        text = path.read_text(encoding="utf-8")
        text = text.replace(TEMPLATE, NEW_SLUG).replace("Kansas County Boundaries", NEW_TITLE)
        path.unlink()
        path.with_name(path.name.replace(TEMPLATE, NEW_SLUG)).write_text(text, encoding="utf-8")
    spec = dst / "spec.yaml"
    output = f"  - uri: {ZONE_URI}\n    media_type: {MEDIA_TYPE}\n    publish: true\n"
    spec.write_text(
        spec.read_text()
        .replace("title: Kansas County Boundaries", f"title: {NEW_TITLE}")
        .replace("outputs:\n", "outputs:\n" + output, 1)
        .replace("catalog:\n", REDACTION + "catalog:\n", 1)
    )
    data = seats_geojson(NEW_SLUG)
    digest = write_processed(repo, ZONE_KEY, data, zones.env)
    (receipt,) = sorted((dst / "receipts").glob("*.json"))
    body = json.loads(receipt.read_text())
    body["outputs"].append(
        {"uri": ZONE_URI, "digest": digest, "size": len(data), "media_type": MEDIA_TYPE}
    )
    receipt.write_text(json.dumps(body, indent=2, ensure_ascii=False) + "\n")
    refresh(repo)
    if mistake:  # the contributor edits the spec after the run: an unpinned tool version
        spec.write_text(spec.read_text().replace(*MISTAKE, 1))
    return f"specs/{NEW_SLUG}"


def fix_dataset(repo: Path) -> None:
    """Pin the tool again and re-run the pipeline, as the findings ask."""
    from kfm_bot.scaffold.refresh import refresh

    spec = repo / "specs" / NEW_SLUG / "spec.yaml"
    spec.write_text(spec.read_text().replace(MISTAKE[1], MISTAKE[0], 1))
    refresh(repo)
