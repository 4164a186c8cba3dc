"""A policy change on main of an emulator world, as a merged policy PR would leave it."""

from __future__ import annotations

from tests.github.world import World, as_user
from tests.gitrepo import git


def publish_keys(world: World, text: str) -> None:
    """`policies/signing_keys.yaml` on origin/main becomes `text`."""
    env = as_user("alice")
    git(world.work, "fetch", "-q", "origin", env=env)
    git(world.work, "checkout", "-q", "-B", "keys", "origin/main", env=env)
    (world.work / "policies/signing_keys.yaml").write_text(text)
    git(world.work, "commit", "-q", "-am", "signing keys", env=env)
    git(world.work, "push", "-q", "origin", "keys:main", env=env)
