"""`kfm-bot init`: every file of a new governance repository, written all or nothing."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kfm_bot.errors import UsageError
from kfm_bot.scaffold.example import EXAMPLE_SLUG, EXAMPLE_SOURCE, example_files
from kfm_bot.scaffold.staging import write_new
from kfm_bot.scaffold.text import SCHEMA_DIR, fill, template, template_names

WORKFLOWS = ".github/workflows"
RULESET = ".github/rulesets/kfm-default-branch.json"
CHECKS = ("kfm-bot / gates", "kfm-bot / approvals")  # the check runs the bot posts


@dataclass(frozen=True)
class Pin:
    """The kfm-bot the workflows call: OWNER/NAME and a full commit sha, and where it came from."""

    repository: str
    ref: str
    origin: str  # "given with --kfm-bot-ref", "the commit kfm-bot 1.2.0 was built from"


@dataclass(frozen=True)
class Steward:
    login: str
    id: int


def init_repository(
    root: Path, pin: Pin, stewards: list[Steward], app_id: int | None, branch: str, force: bool,
    git: bool,
) -> list[str]:  # fmt: skip
    """Write the repository into `root` (new, empty but for `.git`, or any folder with
    `force`, whose existing files are never overwritten); returns the files written."""
    if root.exists() and not root.is_dir():
        raise UsageError(f"{root} exists and is not a folder")
    present = sorted(p.name for p in root.iterdir() if p.name != ".git") if root.is_dir() else []
    if present and not force:
        shown = ", ".join(present[:5]) + (" ..." if len(present) > 5 else "")
        raise UsageError(
            f"{root} is not empty ({shown}); choose a new folder, or pass --force to add the"
            " files beside these (an existing file is never overwritten)"
        )
    files = {**_schemas(), **_policies(stewards), **_github(pin, app_id, branch)}
    files["README.md"] = _readme(pin, app_id)
    # The editor mapping of the JSON evidence files to their schemas (YAML files carry a
    # modeline instead); the same file as kfm-bot's own, which a test keeps equal.
    files[".vscode/settings.json"] = template("repo/vscode_settings.json").encode("utf-8")
    examples, finish = example_files(stewards[0].login)
    files.update(examples)
    make_git = git and not (root / ".git").exists()

    def prepare(stage: Path) -> None:
        finish(stage)
        if make_git:
            from kfm_bot.git.command import git as run_git

            run_git(stage, "init", "-q", "-b", branch)

    return [p for p in write_new(root, files, prepare) if not p.startswith(".git/")]


def _schemas() -> dict[str, bytes]:
    from kfm_bot.models.json_schemas import expected_files

    return {f"{SCHEMA_DIR}/{name}": data for name, data in expected_files().items()}


def _policies(stewards: list[Steward]) -> dict[str, bytes]:
    files = {}
    for name in template_names("repo/policies"):
        path = f"policies/{name}"
        files[path] = fill(template(f"repo/policies/{name}"), path, {}).encode("utf-8")
    roster = "".join(
        f"  - login: {s.login}\n    id: {s.id}\n    roles: [data, licensing, sensitivity, policy]\n"
        for s in stewards
    )
    head = fill(template("repo/stewards.yaml"), "policies/stewards.yaml", {})
    files["policies/stewards.yaml"] = (head + roster + template("repo/stewards_bots.yaml")).encode()
    return files


def _github(pin: Pin, app_id: int | None, branch: str) -> dict[str, bytes]:
    values = {"REPOSITORY": pin.repository, "REF": pin.ref, "BRANCH": branch}
    files = {
        f"{WORKFLOWS}/{name}": fill(template(f"repo/workflows/{name}"), name, values).encode()
        for name in template_names("repo/workflows")
    }
    files[RULESET] = (json.dumps(ruleset(app_id), indent=2) + "\n").encode()
    return files


def ruleset(app_id: int | None) -> dict[str, Any]:
    """A repository ruleset for `POST /repos/{owner}/{repo}/rulesets`. With the App's id the
    required checks count only when that App posted them, and the App may push promotions."""
    pinned = {} if app_id is None else {"integration_id": app_id}
    return {
        "name": "kfm-bot: default branch",
        "target": "branch",
        "enforcement": "active",
        "conditions": {"ref_name": {"include": ["~DEFAULT_BRANCH"], "exclude": []}},
        "bypass_actors": []
        if app_id is None
        else [{"actor_id": app_id, "actor_type": "Integration", "bypass_mode": "always"}],
        "rules": [
            {"type": "deletion"},
            {"type": "non_fast_forward"},
            {
                "type": "pull_request",
                "parameters": {
                    "required_approving_review_count": 0,  # stewards approve through the bot
                    "dismiss_stale_reviews_on_push": False,
                    "require_code_owner_review": False,
                    "require_last_push_approval": False,
                    "required_review_thread_resolution": False,
                },
            },
            {
                "type": "required_status_checks",
                "parameters": {
                    "strict_required_status_checks_policy": True,
                    "required_status_checks": [{"context": c, **pinned} for c in CHECKS],
                },
            },
        ],
    }


def _readme(pin: Pin, app_id: int | None) -> bytes:
    if app_id is None:
        note = (
            "It names no App yet (`kfm-bot init --app-id` does): until each required check has"
            ' `"integration_id": <KFM_APP_ID>` and the App is a bypass actor (`"actor_type":'
            ' "Integration"`), any workflow with `checks: write` can satisfy the checks.'
        )
    else:
        note = f"Both checks count only when the App {app_id} posted them, and it may push."
    values = {
        "REPOSITORY": pin.repository,
        "REF": pin.ref,
        "REF_ORIGIN": pin.origin,
        "SOURCE_ID": EXAMPLE_SOURCE,
        "SLUG": EXAMPLE_SLUG,
        "APP_NOTE": note,
    }
    return fill(template("repo/README.md"), "README.md", values).encode("utf-8")
