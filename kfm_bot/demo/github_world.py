"""The demo's GitHub: the emulator with the roster's people, the repository, clones, and runs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kfm_bot.attest.keys import SIGNING_KEYS_POLICY, generate
from kfm_bot.demo import project
from kfm_bot.demo.zones import DemoZones
from kfm_bot.emulator import Emulator
from kfm_bot.git.command import git

OWNER, REPO = "kfm", "governed-data"
STEWARDS = {
    "mara-osei": 4410021,
    "tomas-reyes": 4410022,
    "june-harjo": 4410023,
    "ike-lindqvist": 4410024,
    "noor-haddad": 4410025,
}  # as policies/stewards.yaml names them
BOT = ("kfm-bot[bot]", 4410099)
DEMO_KEYS = """\
kfm_policy_signing_keys_version: v1
require_signature: true
keys:
  - key_id: kfm-demo-bot
    algorithm: ed25519
    public_key: "{public}"
    valid_from: "2000-01-01T00:00:00Z"
"""
CONTRIBUTOR = ("ada-contributor", 5550001)


@dataclass
class World:
    emu: Emulator
    root: Path
    zones: DemoZones
    tokens: dict[str, str] = field(default_factory=dict)
    events: int = 0
    # The promotion environment's KFM_SIGNING_KEY (its public half is in policies/).
    signing_key: str = field(default="", repr=False)

    @property
    def full(self) -> str:
        return f"{OWNER}/{REPO}"

    def api(self, path: str) -> Any:
        """GET as the bot, as a person's browser would see it on GitHub."""
        req = urllib.request.Request(  # noqa: S310 - the loopback emulator only
            self.emu.base_url + path, headers={"Authorization": f"token {self.tokens[BOT[0]]}"}
        )
        with urllib.request.urlopen(req, timeout=30) as resp:  # noqa: S310
            return json.loads(resp.read())

    def action(
        self, name: str, payload: dict[str, Any], workspace: Path, *args: str
    ) -> subprocess.CompletedProcess[str]:
        """`kfm-bot action` exactly as a workflow step runs it."""
        self.events += 1
        event = self.root / "events" / f"{self.events:02d}-{name}.json"
        event.parent.mkdir(exist_ok=True)
        event.write_text(json.dumps(payload, indent=2))
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GIT_"))}
        env.update(
            {
                "GITHUB_EVENT_NAME": name,
                "GITHUB_EVENT_PATH": str(event),
                "GITHUB_TOKEN": self.tokens[BOT[0]],
                "GITHUB_REPOSITORY": self.full,
                "GITHUB_API_URL": self.emu.base_url,
                "GITHUB_WORKSPACE": str(workspace),
                "GITHUB_STEP_SUMMARY": str(self.root / "events" / "step-summary.md"),
                "GIT_CONFIG_NOSYSTEM": "1",
                "KFM_RELEASE": "true",  # as promote.yml sets it
                **self.zones.env,  # S3 endpoint and credentials: this child's only
            }
        )
        if name == "push":  # only the promotion job holds the signing key
            env["KFM_SIGNING_KEY"] = self.signing_key
        return subprocess.run(
            [sys.executable, "-m", "kfm_bot", "action", *args],
            cwd=workspace,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )

    def clone(self, dest: Path) -> Path:
        git(self.root, "clone", "-q", self.emu.git_url(OWNER, REPO), str(dest))
        return dest


def forge_approvals(world: World, sha: str) -> int:
    """A `kfm-bot / approvals` success posted by another GitHub App (any app with
    `checks: write` can name a check run anything); the run's id."""
    from kfm_bot.github.interface import CheckOutput
    from kfm_bot.github.pygithub_client import app_client

    app_id, key = world.emu.add_app("ci-helper", OWNER)
    world.emu.install_app(app_id, OWNER)
    forger = app_client(str(app_id), key, world.full, world.emu.base_url)
    output = CheckOutput("Steward approvals complete", "Looks approved to me.")
    return forger.create_check_run(sha, "kfm-bot / approvals", "completed", output, "success").id


def start(root: Path, zones: DemoZones) -> World:
    emu = Emulator(root / "github", state_file=root / "github" / "state.json")
    emu.start()
    world = World(emu, root, zones)
    world.tokens[BOT[0]] = emu.add_user(BOT[0], BOT[1], type="Bot")
    world.tokens[CONTRIBUTOR[0]] = emu.add_user(*CONTRIBUTOR)
    for login, uid in STEWARDS.items():
        world.tokens[login] = emu.add_user(login, uid)
    seed = root / "seed"
    project.copy_content(seed, zones)
    world.signing_key, public = generate()
    (seed / SIGNING_KEYS_POLICY).write_text(DEMO_KEYS.format(public=public))
    emu.create_repo(OWNER, REPO, source_dir=seed)
    emu.add_collaborator(OWNER, REPO, BOT[0], "write")
    shutil.rmtree(seed)
    return world
