"""Which kfm-bot a new repository's workflows pin by default: this installation's own.

The repository comes from the distribution's `Source` project URL; the commit from
`origin.json`, which the build backend (.ci/kfm_build.py) writes into a wheel built from a
clean git checkout. An editable install, an sdist build or a build from a changed tree has
no commit to offer: `init` then asks for `--kfm-bot-ref` rather than pin something that may
not exist upstream.
"""

from __future__ import annotations

import json
import re
from importlib import metadata, resources

GITHUB = re.compile(r"^https://github\.com/([\w.-]+/[\w.-]+?)(?:\.git)?/?$")
SHA = re.compile(r"^[0-9a-f]{40}$")


def installed_repository() -> str | None:
    """OWNER/NAME of the `Source` project URL, when it is a GitHub repository."""
    try:
        urls = metadata.metadata("kfm-bot").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return None
    for entry in urls:
        label, _, url = entry.partition(",")
        match = GITHUB.match(url.strip())
        if label.strip().lower() == "source" and match:
            return match[1]
    return None


def installed_commit() -> str | None:
    """The commit this wheel was built from, when it was built from a clean checkout."""
    node = resources.files("kfm_bot.scaffold").joinpath("origin.json")
    if not node.is_file():
        return None
    try:
        data = json.loads(node.read_text("utf-8"))
    except ValueError:
        return None
    commit = data.get("commit") if isinstance(data, dict) else None
    if isinstance(commit, str) and SHA.match(commit) and data.get("clean") is True:
        return commit
    return None
