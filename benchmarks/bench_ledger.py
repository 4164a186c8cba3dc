"""`kfm-bot ledger verify` on ledgers of 1,000 and 10,000 anchored entries (DESIGN section 11).

Each repository holds one promotion commit per entry, with its `Kfm-Promotion` and
`Kfm-Ledger-Line` trailers, an annotated tag per entry carrying its `Ledger-Line`, and a
manifest per entry whose digest the line records: all that `ledger verify` reads. The
history is written with `git fast-import`. Every commit changes the ledger, as a promotion
does, but only the last one writes it whole, as sealed segments of 1,000 lines and the live
file (10,000 growing copies would be n² bytes; the others write just their own line); verify
reads the ledger at the tip only, so what it does, and its cost, is what a real history gives.
The floor is `ledger verify` of an empty ledger in the same run (start-up and git calls).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kfm_bot.canonical import sha256_digest
from kfm_bot.ledger.anchors import anchor_value
from kfm_bot.ledger.chain import Ledger
from kfm_bot.ledger.records import manifest_path
from kfm_bot.ledger.segments import layout
from kfm_bot.repo.layout import LEDGER_PATH
from tests.gitrepo import GIT_ENV, git

BIN = Path(sys.executable).parent
SIZES_FULL = (1_000, 10_000)
SIZES_SMOKE = (20, 50)
TARGET = 5.0  # seconds for 10,000 entries, start-up included
EPOCH = 1_793_700_000


def _fields(n: int, manifest: bytes) -> dict[str, object]:
    return {
        "event": "promotion",
        "dataset_slug": f"bench_{n:05d}",
        "dataset_version_id": f"2026-11.{n:08x}",
        "spec_hash": "sha256:" + f"{n:064x}",
        "manifest_digest": sha256_digest(manifest),
        "decision_id": "kfm://policy_decision/" + f"{n:064x}",
        "pr_number": n,
        "merge_commit": f"{n:040x}",
        "actor": "kfm-bot[bot]",
        "recorded_at": "2026-11-03T08:00:00Z",
    }


def _data(payload: bytes) -> bytes:
    return b"data %d\n%s\n" % (len(payload), payload)


def build(root: Path, size: int) -> Path:
    """A repository whose `main` ends with `size` anchored promotions, built in one stream."""
    root.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    ledger = Ledger(())
    stream: list[bytes] = []
    who = b"kfm-bot[bot] <kfm-bot[bot]@users.noreply.github.com> %d +0000" % EPOCH
    for n in range(1, size + 1):
        manifest = b'{"bench":%d}\n' % n
        ledger, entry = ledger.append(_fields(n, manifest))
        tag = f"{entry['dataset_slug']}/{entry['dataset_version_id']}"
        anchor = anchor_value(n, ledger.lines[-1])
        message = (
            f"Promote {tag}\n\nKfm-Promotion: {tag}\nKfm-Manifest-Digest: "
            f"{entry['manifest_digest']}\nKfm-Ledger-Line: {anchor}\n"
        ).encode()
        path = manifest_path(str(entry["dataset_slug"]), str(entry["dataset_version_id"]))
        stream += [b"commit refs/heads/main\nmark :%d\ncommitter %s\n" % (n, who), _data(message)]
        stream.append(b"M 100644 inline %s\n%s" % (path.encode(), _data(manifest)))
        files = layout(ledger.lines) if n == size else {LEDGER_PATH: ledger.lines[-1] + b"\n"}
        for name, data in files.items():  # the last commit: segments and the live file
            stream.append(b"M 100644 inline %s\n%s" % (name.encode(), _data(data)))
        tag_message = f"{tag}\n\nLedger-Line: {anchor}\n".encode()
        stream.append(
            b"tag %s\nfrom :%d\ntagger %s\n%s" % (tag.encode(), n, who, _data(tag_message))
        )
    subprocess.run(
        ["git", "fast-import", "--quiet"], cwd=root, input=b"".join(stream), env=GIT_ENV, check=True
    )
    git(root, "reset", "-q", "--hard", "main")
    return root


def _verify(repo: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(
        [str(BIN / "kfm-bot"), "ledger", "verify", "--repo", str(repo), "--ref", "main"],
        capture_output=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"ledger verify failed on {repo}: {done.stderr.decode()[:500]}")
    return elapsed


def run(smoke: bool) -> list[dict[str, str]]:
    sizes = SIZES_SMOKE if smoke else SIZES_FULL
    rounds = 1 if smoke else 3
    with tempfile.TemporaryDirectory(prefix="kfm-bench-ledger-") as tmp:
        empty = Path(tmp) / "empty"
        empty.mkdir()
        git(empty, "init", "-q", "-b", "main")
        git(empty, "commit", "-q", "--allow-empty", "-m", "nothing promoted")
        repos = {size: build(Path(tmp) / f"l{size}", size) for size in sizes}
        times: dict[int, list[float]] = {0: [], **{size: [] for size in sizes}}
        for _ in range(rounds):  # sizes interleaved, so load on the machine hits every size
            times[0].append(_verify(empty))
            for size, repo in repos.items():
                times[size].append(_verify(repo))
    floor = min(times[0])
    rows = []
    for size in sizes:
        best, median = min(times[size]), statistics.median(times[size])
        per_line = max(0.0, best - floor) / size * 1e6
        rows.append(
            {
                "benchmark": "ledger verify",
                "case": f"{size:,} anchored entries (trailers, tags, manifests)",
                "result": f"median {median:.2f} s, min {best:.2f} s (floor {floor:.2f} s, "
                f"{per_line:.0f} µs per line)",
                "target": f"< {TARGET:.0f} s at 10,000",
                "ok": "yes" if size < 10_000 or median < TARGET else "no",
            }
        )
    return rows


if __name__ == "__main__":
    for row in run("--smoke" in sys.argv[1:]):
        print(" | ".join(row[column] for column in ("benchmark", "case", "result", "target", "ok")))
