"""A git repository of the example content whose receipt names zone objects, for gate E."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from tests.gitrepo import commit_all, git, init_example_repo

SLUG = "ks_water_wells"
RECEIPT = f"specs/{SLUG}/receipts/ks_water_wells-20261104T130000Z.json"
KEY = f"{SLUG}/2026-11/wells.parquet"
URI = f"processed/{KEY}"


def digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def storage_yaml(processed: str, published: str, timeout_s: float = 30.0) -> str:
    return (
        "kfm_storage_version: v1\nzones:\n"
        f"  processed:\n    url: {processed}\n    timeout_s: {timeout_s}\n"
        f"  published:\n    url: {published}\n    timeout_s: {timeout_s}\n"
    )


def zone_repo(dest: Path, storage: str) -> Path:
    """The example content with `storage` as policies/storage.yaml on main, and a branch
    `zone-output` checked out whose receipt adds the zone object URI (its digest and size
    are set by `name_object`)."""
    repo = init_example_repo(dest)
    (repo / "policies/storage.yaml").write_text(storage)
    commit_all(repo, "zones")
    git(repo, "checkout", "-q", "-b", "zone-output")
    return repo


def name_object(repo: Path, data: bytes, size: int | None = None, uri: str = URI) -> None:
    """Make the receipt name `uri` with the digest of `data` (and `size`, default its length)."""
    path = repo / RECEIPT
    receipt = json.loads(path.read_text())
    receipt["outputs"].append(
        {"uri": uri, "digest": digest(data), "size": len(data) if size is None else size}
    )
    path.write_text(json.dumps(receipt, indent=2) + "\n")
    commit_all(repo, "receipt names a zone object")
