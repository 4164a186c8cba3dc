"""Reading commits, trees, tags and diffs out of the bare repositories."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from kfm_bot.emulator.gitcmd import git, git_bytes

_FMT = "%H%x00%T%x00%P%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI%x00%B"


@dataclass
class CommitInfo:
    sha: str
    tree: str
    parents: list[str]
    author: tuple[str, str, str]  # name, email, date (UTC, ISO with Z)
    committer: tuple[str, str, str]
    message: str


@dataclass
class FileChange:
    status: str  # GitHub's words: added, removed, modified, renamed, copied, changed
    filename: str
    previous: str | None
    additions: int
    deletions: int
    blob: str
    patch: str | None


def utc(stamp: str) -> str:
    when = datetime.datetime.fromisoformat(stamp).astimezone(datetime.UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def commit_info(repo: Path, sha: str) -> CommitInfo:
    return _commit(git(repo, "show", "-s", f"--format={_FMT}", sha, "--").split("\x00"))


def commit_infos(repo: Path, shas: list[str]) -> dict[str, CommitInfo]:
    """`commit_info` of many commits (a PR lists up to 250) in one git call, not one each."""
    if not shas:
        return {}
    out = git(repo, "log", "--no-walk=unsorted", "-z", f"--format={_FMT}", *shas, "--")
    fields = out.split("\x00")  # 10 a commit, each record ended by a NUL too
    found = (_commit(fields[i : i + 10]) for i in range(0, len(fields) - 1, 10))
    return {info.sha: info for info in found}


def _commit(fields: list[str]) -> CommitInfo:
    return CommitInfo(
        sha=fields[0],
        tree=fields[1],
        parents=fields[2].split(),
        author=(fields[3], fields[4], utc(fields[5])),
        committer=(fields[6], fields[7], utc(fields[8])),
        message=fields[9].rstrip("\n"),
    )


def commits_between(repo: Path, base: str, head: str) -> list[str]:
    """Commits reachable from head but not base, oldest first (what a PR lists)."""
    out = git(repo, "rev-list", "--reverse", "--topo-order", head, f"^{base}", "--")
    return out.split()


def merge_base(repo: Path, a: str, b: str) -> str | None:
    return git(repo, "merge-base", a, b, check=False).strip() or None


_STATUS = {
    "A": "added",
    "D": "removed",
    "M": "modified",
    "R": "renamed",
    "C": "copied",
    "T": "changed",
}


def diff_files(repo: Path, old: str, new: str) -> list[FileChange]:
    """Changed files between two commits, as GitHub's diff-entry list reports them."""
    raw = git(repo, "diff", "--raw", "-z", "-M", "--no-abbrev", old, new, "--").split("\x00")
    numstat = git(repo, "diff", "--numstat", "-z", "-M", old, new, "--").split("\x00")
    counts = _numstat(numstat)
    patches = _patches(git(repo, "diff", "-M", "--no-color", old, new, "--"))
    changes: list[FileChange] = []
    i = 0
    while i < len(raw) - 1:
        meta = raw[i].split()
        kind = meta[4][0]
        paths = [raw[i + 1]] if kind not in "RC" else [raw[i + 1], raw[i + 2]]
        i += 1 + len(paths)
        name, previous = paths[-1], (paths[0] if len(paths) == 2 else None)
        plus, minus = counts.get(name, (0, 0))
        blob = meta[3] if kind != "D" else meta[2]
        patch = patches[len(changes)] if len(changes) < len(patches) else None
        status = _STATUS.get(kind, "changed")
        changes.append(FileChange(status, name, previous, plus, minus, blob, patch))
    return changes


def _patches(text: str) -> list[str | None]:
    """The hunks of each file of a unified diff, in the diff's (and --raw's) order."""
    chunks = text.split("\ndiff --git ") if text else []
    out: list[str | None] = []
    for chunk in chunks:
        hunk = chunk.find("\n@@")
        out.append(chunk[hunk + 1 :].rstrip("\n") if hunk >= 0 else None)
    return out


def _numstat(fields: list[str]) -> dict[str, tuple[int, int]]:
    counts: dict[str, tuple[int, int]] = {}
    i = 0
    while i < len(fields) - 1:
        parts = fields[i].split("\t")
        plus, minus = (int(x) if x.isdigit() else 0 for x in parts[:2])
        if parts[2]:
            counts[parts[2]] = (plus, minus)
            i += 1
        else:  # a rename: the old and new names follow as their own fields
            counts[fields[i + 2]] = (plus, minus)
            i += 3
    return counts


Entry = tuple[str, str, str, str, int]


def ls_tree(repo: Path, rev: str, path: str) -> list[Entry]:
    """(mode, type, sha, path, size) of the entry at `path`, or its children for a directory."""
    spec = path.rstrip("/")
    out = git(repo, "ls-tree", "-z", "-l", "--full-tree", rev, "--", spec, check=False)
    entries = [_entry(item) for item in out.split("\x00") if item]
    if len(entries) == 1 and entries[0][1] == "tree" and entries[0][3] == spec:
        out = git(repo, "ls-tree", "-z", "-l", "--full-tree", rev, "--", f"{spec}/")
        entries = [_entry(item) for item in out.split("\x00") if item]
    return entries


def _entry(item: str) -> Entry:
    meta, name = item.split("\t", 1)
    mode, kind, sha, size = meta.split()
    return mode, kind, sha, name, int(size) if size.isdigit() else 0


def blob(repo: Path, sha: str) -> bytes:
    return git_bytes(repo, "cat-file", "blob", sha)


def tag_object(repo: Path, sha: str) -> dict[str, str] | None:
    """Fields of an annotated tag object: object, type, tag, tagger, message."""
    if git(repo, "cat-file", "-t", sha, check=False).strip() != "tag":
        return None
    text = git(repo, "cat-file", "tag", sha)
    head, _, message = text.partition("\n\n")
    fields = dict(line.split(" ", 1) for line in head.splitlines() if " " in line)
    fields["message"] = message
    return fields


def epoch(stamp: str | None) -> int:
    """Seconds since the epoch for an ISO 8601 time (now when absent)."""
    if not stamp:
        return int(datetime.datetime.now(datetime.UTC).timestamp())
    return int(datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp())
