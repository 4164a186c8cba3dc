"""Large promotion histories for the benchmarks: N ledger entries on 2N first-parent commits.

    python -m benchmarks.generate --entries 10000 REPO        # appends to REPO's main

Each entry is what a real promotion leaves: a merge-like commit (a contributor's change), then
the promotion commit on top of it, with the `Kfm-Promotion`, `Kfm-Manifest-Digest` and
`Kfm-Ledger-Line` trailers, the entry's manifest, the ledger line (its `merge_commit` the commit
before it, `seq` and `prev` chained onto the ledger already there), and the annotated release
tag. The history is written by one `git fast-import` (asked for each merge's id with
`get-mark`). Only the last promotion commit writes the ledger whole, as promotions leave it:
sealed segments of 1,000 lines and the live file (10,000 growing copies would be n² bytes; the
others write just their own line): promotion reads the ledger at the
tip only, so what it does, and its cost, is what a real history gives.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path
from typing import IO

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kfm_bot.canonical import sha256_digest
from kfm_bot.git.gitdir import GitDir
from kfm_bot.ledger.anchors import anchor_value
from kfm_bot.ledger.records import manifest_path
from kfm_bot.ledger.segments import layout, read_ledger
from kfm_bot.repo.layout import LEDGER_PATH
from kfm_bot.repo.snapshot import CommitSnapshot

EPOCH = 1_790_000_000  # before anything the example world merges: history reads in order
WHO = b"kfm-bot[bot] <kfm-bot[bot]@users.noreply.github.com>"
CONTRIBUTOR = b"Alice <alice@users.noreply.github.com>"
NOTES = "notes/bench-merges.txt"  # what each merge-like commit changes


def _data(payload: bytes) -> bytes:
    return b"data %d\n%s\n" % (len(payload), payload)


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def fields(n: int, merge: str, manifest: bytes) -> dict[str, object]:
    return {
        "event": "promotion",
        "dataset_slug": f"bench_{n:05d}",
        "dataset_version_id": f"2026-10.{n:08x}",
        "spec_hash": "sha256:" + f"{n:064x}",
        "manifest_digest": sha256_digest(manifest),
        "decision_id": "kfm://policy_decision/" + f"{n:064x}",
        "pr_number": 100_000 + n,
        "merge_commit": merge,
        "actor": "kfm-bot[bot]",
        "recorded_at": "2026-10-01T08:00:00Z",
    }


class _Importer:
    def __init__(self, repo: Path) -> None:
        self.proc = subprocess.Popen(
            ["git", "fast-import", "--quiet", "--cat-blob-fd=1"],
            cwd=repo,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.stdin: IO[bytes] = self.proc.stdin
        self.stdout: IO[bytes] = self.proc.stdout

    def send(self, *chunks: bytes) -> None:
        self.stdin.write(b"".join(chunks))

    def mark(self, mark: int) -> str:
        self.send(b"get-mark :%d\n" % mark)
        self.stdin.flush()
        return self.stdout.readline().decode().strip()

    def close(self) -> None:
        self.stdin.close()
        if self.proc.wait() != 0:
            raise RuntimeError("git fast-import failed")


def extend(repo: Path, entries: int, branch: str = "main") -> None:
    """Append `entries` promotions (2 commits each) to `branch` of `repo` (bare or not)."""
    if entries <= 0:
        return
    parent = _git(repo, "rev-parse", f"refs/heads/{branch}")
    ledger = read_ledger(CommitSnapshot(GitDir(repo), parent))
    first = len(ledger.lines) + 1
    imp = _Importer(repo)
    ref = f"refs/heads/{branch}".encode()
    for i in range(entries):
        n = first + i
        when = EPOCH + 60 * n
        merge_mark, promo_mark = 2 * n, 2 * n + 1
        imp.send(b"commit %s\nmark :%d\n" % (ref, merge_mark))
        imp.send(b"author %s %d +0000\ncommitter %s %d +0000\n" % (CONTRIBUTOR, when, WHO, when))
        imp.send(_data(b"Merge pull request #%d from bench/%d\n" % (100_000 + n, n)))
        if i == 0:
            imp.send(b"from %s\n" % parent.encode())
        imp.send(b"M 100644 inline %s\n%s\n" % (NOTES.encode(), _data(b"merge %d\n" % n)))
        merge = imp.mark(merge_mark)
        manifest = b'{"bench":%d}\n' % n
        ledger, entry = ledger.append(fields(n, merge, manifest))
        tag = f"{entry['dataset_slug']}/{entry['dataset_version_id']}"
        anchor = anchor_value(n, ledger.lines[-1])
        message = (
            f"Promote {entry['dataset_slug']} {entry['dataset_version_id']} "
            f"(PR #{entry['pr_number']})\n\nKfm-Promotion: {tag}\n"
            f"Kfm-Manifest-Digest: {entry['manifest_digest']}\nKfm-Ledger-Line: {anchor}\n"
        ).encode()
        path = manifest_path(str(entry["dataset_slug"]), str(entry["dataset_version_id"]))
        last = i == entries - 1  # writes the ledger whole: sealed segments and the live file
        files = layout(ledger.lines) if last else {LEDGER_PATH: ledger.lines[-1] + b"\n"}
        imp.send(
            b"commit %s\nmark :%d\ncommitter %s %d +0000\n" % (ref, promo_mark, WHO, when + 30),
            _data(message),
            b"M 100644 inline %s\n%s" % (path.encode(), _data(manifest)),
            *(b"M 100644 inline %s\n%s" % (p.encode(), _data(d)) for p, d in files.items()),
            b"\n",
        )
        body = f"{tag}\n\nLedger-Line: {anchor}\n".encode()
        imp.send(
            b"tag %s\nfrom :%d\ntagger %s %d +0000\n" % (tag.encode(), promo_mark, WHO, when),
            _data(body),
        )
    imp.close()
    _git(repo, "pack-refs", "--all")  # as a clone or `git gc` leaves them: one file, not 10,000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("repo", type=Path, help="a git repository (created when missing)")
    parser.add_argument("--entries", type=int, default=1000, help="ledger entries to append")
    parser.add_argument("--branch", default="main")
    args = parser.parse_args(argv)
    if not (args.repo / ".git").exists() and not (args.repo / "HEAD").exists():
        args.repo.mkdir(parents=True, exist_ok=True)
        _git(args.repo, "init", "-q", "-b", args.branch)
        _git(args.repo, "-c", "user.name=kfm", "-c", "user.email=kfm@example.org",
             "commit", "-q", "--allow-empty", "-m", "root")  # fmt: skip
    extend(args.repo, args.entries, args.branch)
    count = _git(args.repo, "rev-list", "--first-parent", "--count", args.branch)
    print(f"{args.repo}: {args.branch} has {count} first-parent commits")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
