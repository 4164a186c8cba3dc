"""Release tags `<slug>/<version>`: annotated, deterministic, and never moved once published."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kfm_bot.canonical import canonical_bytes
from kfm_bot.errors import GateFailure
from kfm_bot.git import read, write
from kfm_bot.ledger.anchors import TAG_FIELD, anchor_value
from kfm_bot.ledger.records import manifest_path
from kfm_bot.models.ledger import LedgerRecord
from kfm_bot.promotion.land import Target

if TYPE_CHECKING:
    from kfm_bot.git.gitdir import GitDir

_TRAILER = "Kfm-Promotion: "


def tag_name(entry: LedgerRecord) -> str:
    return f"{entry['dataset_slug']}/{entry['dataset_version_id']}"


def tag_message(entry: LedgerRecord) -> str:
    """Built only from the ledger entry, so a resumed run writes the very same tag.

    The entry's line is its canonical bytes (that is how the ledger writes it), so the tag
    anchors that line: its number and its sha256."""
    return (
        f"{entry['dataset_slug']} {entry['dataset_version_id']}\n\n"
        f"Promoted from PR #{entry['pr_number']}, merge commit {entry['merge_commit']}.\n"
        f"spec_hash: {entry['spec_hash']}\n"
        f"Manifest: {manifest_path(entry['dataset_slug'], entry['dataset_version_id'])}\n"
        f"Manifest-Digest: {entry['manifest_digest']}\n"
        f"{TAG_FIELD}: {anchor_value(entry['seq'], canonical_bytes(entry))}\n"
    )


def published_tags(target: Target) -> dict[str, str]:
    """Remote tag name -> the commit it points at (listed with the run's first tip)."""
    if target.remote is None:
        return {}
    refs = target.remote_tags()
    tags = {ref.removeprefix("refs/tags/"): sha for ref, sha in refs.items() if "^" not in ref}
    for ref, sha in refs.items():
        if ref.endswith("^{}"):
            tags[ref.removeprefix("refs/tags/").removesuffix("^{}")] = sha
    return tags


def existing_tags(target: Target, published: dict[str, str]) -> set[str]:
    """The tags where promotions publish them: the remote with --push (`published`), else the
    local repository (one `for-each-ref`)."""
    return set(published) if target.remote is not None else read.tag_names(target.repo)


def promotion_commits(repo: GitDir, tip: str, entries: list[LedgerRecord]) -> dict[str, str]:
    """Tag -> promotion commit for each of `entries` (in ledger order): the oldest commit on
    `tip`'s first-parent line whose trailer names the tag. One `git log`, back only to the first
    entry's merge (a promotion always follows its merge), so the cost is what happened since."""
    if not entries:
        return {}
    wanted = {tag_name(e) for e in entries}
    found: dict[str, str] = {}
    after = str(entries[0]["merge_commit"])
    for sha, message in read.first_parent_grep_after(repo, tip, after, _TRAILER):
        for line in message.splitlines():
            name = line.removeprefix(_TRAILER).strip() if line.startswith(_TRAILER) else None
            if name in wanted:
                found[name] = sha  # newest first: the oldest is left
    for name in sorted(wanted - found.keys()):
        raise GateFailure(f"the ledger records {name} but no commit carries its promotion trailer")
    return found


def ensure_tag(target: Target, entry: LedgerRecord, commit: str, published: dict[str, str]) -> str:
    """The tag exists (locally; on the remote with --push) and points at `commit`, the
    entry's promotion commit."""
    name = tag_name(entry)
    if name in published and target.remote is not None:
        _refuse_if_elsewhere(name, published[name], commit)
        return commit
    local = local_tag(target, name)
    if local is not None and target.remote is None:
        _refuse_if_elsewhere(name, local, commit)
        return commit
    refspec = make_tag(target, commit, entry)
    if target.remote is not None and not write.push(target.repo, target.remote, refspec):
        raced = write.remote_refs(target.repo, target.remote, f"refs/tags/{name}^{{}}")
        _refuse_if_elsewhere(name, next(iter(raced.values()), "unknown"), commit)
    return commit


def make_tag(target: Target, commit: str, entry: LedgerRecord) -> str:
    """The entry's annotated tag on `commit`, made locally (the same object on every run: its
    date is the merge's); returns the refspec that pushes it."""
    name = tag_name(entry)
    epoch = read.commit_time(target.repo, entry["merge_commit"])
    write.create_tag(target.repo, name, commit, tag_message(entry), write.Identity.bot(), epoch)
    return f"refs/tags/{name}:refs/tags/{name}"


def local_tag(target: Target, name: str) -> str | None:
    return read.peel(target.repo, f"refs/tags/{name}")


def _refuse_if_elsewhere(name: str, found: str, expected: str) -> None:
    if found != expected:
        raise GateFailure(
            f"tag {name} already exists and points at {found[:12]}, not at the promotion commit "
            f"{expected[:12]}; tags are never moved: investigate and remove it by hand"
        )
