"""A promoted repository made in well under a second: promotion records written directly."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from kfm_bot.canonical import json_file_bytes, sha256_digest, spec_hash
from kfm_bot.git import read, write
from kfm_bot.git.gitdir import GitDir
from kfm_bot.ledger.chain import Ledger
from kfm_bot.ledger.records import manifest_path
from kfm_bot.models.spec import PipelineSpec
from kfm_bot.promotion import documents
from kfm_bot.promotion.tags import tag_message, tag_name
from kfm_bot.repo.documents import DocumentStore
from kfm_bot.repo.layout import LEDGER_PATH, PROMOTIONS_DIR, spec_path
from kfm_bot.repo.snapshot import CommitSnapshot
from tests.gitrepo import git, init_example_repo

RELEASE_EPOCH = 1_793_700_000  # 2026-11-03T...Z: fixed, like a merge commit's time
Edit = Callable[[dict[str, Any]], None]


def promote(
    repo_dir: Path,
    slug: str,
    edit_manifest: Edit | None = None,
    edit_decision: Edit | None = None,
    beside: Callable[[bytes], dict[str, bytes]] | None = None,
) -> tuple[str, str]:
    """Commit and tag `slug`'s promotion at HEAD as the bot would; returns (version, commit).
    `beside(manifest bytes)`: more files (name -> bytes) committed beside the manifest, as a
    signed promotion statement is."""
    repo = GitDir(repo_dir)
    head = read.resolve(repo, "HEAD")
    snap = CommitSnapshot(repo, head)
    docs = DocumentStore(snap)
    spec = docs.model(spec_path(slug), PipelineSpec)
    data = docs.data(spec_path(slug))
    assert spec is not None and data is not None
    digest = spec_hash(data)
    version = documents.dataset_version_id(digest, RELEASE_EPOCH)
    decision = documents.build_decision(slug, spec, digest, [], documents.policies_digest(docs))
    approval = documents.ApprovalRecord("data", 4410021, "mara-osei", "2026-11-03T08:00:00Z")
    released = documents.rfc3339(RELEASE_EPOCH)
    manifest = documents.build_manifest(
        docs, spec, digest, version, released, decision["decision_id"], [approval]
    )
    if edit_decision is not None:
        edit_decision(decision)
    if edit_manifest is not None:
        edit_manifest(manifest)
    manifest_bytes = json_file_bytes(manifest)
    raw = snap.read(LEDGER_PATH) if snap.entry(LEDGER_PATH) else b""
    ledger, entry = Ledger.parse(raw).append(
        {
            "event": "promotion",
            "dataset_slug": slug,
            "dataset_version_id": version,
            "spec_hash": digest,
            "manifest_digest": sha256_digest(manifest_bytes),
            "decision_id": manifest["policy"]["decision_id"],
            "pr_number": 7,
            "merge_commit": head,
            "actor": "kfm-bot[bot]",
            "recorded_at": released,
        }
    )
    files = {
        manifest_path(slug, version): manifest_bytes,
        f"{PROMOTIONS_DIR}/{slug}/{version}/policy_decision.json": json_file_bytes(decision),
        LEDGER_PATH: ledger.to_bytes(),
    }
    for name, extra in (beside(manifest_bytes) if beside else {}).items():
        files[f"{PROMOTIONS_DIR}/{slug}/{version}/{name}"] = extra
    tree = write.write_tree(repo, head, files)
    message = f"Promote {slug} {version} (PR #7)\n\nKfm-Promotion: {slug}/{version}\n"
    identity = write.Identity("kfm-bot[bot]", "kfm-bot[bot]@users.noreply.github.com")
    commit = write.commit_tree(repo, tree, head, message, identity, RELEASE_EPOCH)
    git(repo_dir, "reset", "-q", "--hard", commit)
    write.create_tag(repo, tag_name(entry), commit, tag_message(entry), identity, RELEASE_EPOCH)
    return version, commit


def promoted_repo(dest: Path, *slugs: str) -> tuple[Path, dict[str, str]]:
    """The example content with each slug promoted in turn; slug -> version."""
    repo_dir = init_example_repo(dest)
    return repo_dir, {slug: promote(repo_dir, slug)[0] for slug in slugs}
