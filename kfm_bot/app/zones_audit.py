"""`kfm-bot zones audit`: the published zone holds exactly what promotion manifests name.

Stray: an object in `published` that no promotion manifest on the default branch names (only
promotion writes there, so anything else was put there by hand or by a run whose commit never
landed). Missing: an object a manifest names that is absent or does not have its digest. The
named set comes from every `registry/promotions/**/promotion_manifest.json` at the commit,
read in one batch; the zone is listed once and named objects are verified with the digest
cache (one HEAD per unchanged object).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from kfm_bot.errors import GateFailure
from kfm_bot.git import read
from kfm_bot.git.gitdir import GitDir
from kfm_bot.ledger.records import MANIFEST
from kfm_bot.promotion.publish import PUBLISHED_ZONE, Publication, publications
from kfm_bot.repo.layout import PROMOTIONS_DIR
from kfm_bot.repo.snapshot import CommitSnapshot

MAX_MANIFEST = 1 << 20  # a manifest is a few KiB; a larger file is not one of ours


@dataclass(frozen=True)
class Stray:
    key: str
    size: int


@dataclass(frozen=True)
class Missing:
    key: str
    manifest: str  # the first manifest (by path) that names it
    status: str  # missing | size-mismatch | digest-mismatch
    actual_digest: str | None = None


@dataclass
class AuditResult:
    commit: str
    named: int = 0
    listed: int = 0
    stray: list[Stray] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.stray and not self.missing

    def to_json(self) -> str:
        body = {
            "commit": self.commit,
            "zone": PUBLISHED_ZONE,
            "named": self.named,
            "listed": self.listed,
            "stray": [{"uri": f"{PUBLISHED_ZONE}/{s.key}", "size": s.size} for s in self.stray],
            "missing": [
                {
                    "uri": f"{PUBLISHED_ZONE}/{m.key}",
                    "manifest": m.manifest,
                    "status": m.status,
                    "actual_digest": m.actual_digest,
                }
                for m in self.missing
            ],
        }
        return json.dumps(body, indent=2, sort_keys=True)

    def to_text(self) -> str:
        lines = [
            f"{PUBLISHED_ZONE}/{s.key}: stray: {s.size} bytes that no promotion manifest at "
            f"{self.commit[:12]} names"
            for s in self.stray
        ]
        lines += [
            f"{PUBLISHED_ZONE}/{m.key}: {m.status}: named by {m.manifest}"
            + (f" (has {m.actual_digest})" if m.actual_digest else "")
            for m in self.missing
        ]
        verdict = "ok" if self.clean else f"{len(self.stray)} stray, {len(self.missing)} missing"
        lines.append(
            f"zones audit {verdict}: {_objects(self.named)} named by promotion manifests at "
            f"{self.commit[:12]}, {_objects(self.listed)} in the {PUBLISHED_ZONE} zone"
        )
        return "\n".join(lines)


def _objects(n: int) -> str:
    return f"{n} object" if n == 1 else f"{n} objects"


def audit(repo_dir: Path, ref: str | None) -> AuditResult:
    """The audit of the published zone against the manifests at `ref` (default branch)."""
    from kfm_bot.zones.cache import DigestCache, default_path
    from kfm_bot.zones.config import load_zones
    from kfm_bot.zones.store import ZoneStore
    from kfm_bot.zones.verify import ObjectRef, verify_objects

    repo = GitDir(repo_dir)
    commit = read.resolve(repo, ref or read.default_branch(repo))
    snapshot = CommitSnapshot(repo, commit)
    paths = sorted(
        p
        for p in snapshot.paths()
        if p.startswith(PROMOTIONS_DIR + "/") and p.endswith("/" + MANIFEST)
    )
    named: dict[str, tuple[str, ObjectRef]] = {}
    for path, data in snapshot.read_many(paths, MAX_MANIFEST):
        for p in _publications(path, data):
            named.setdefault(p.key, (path, ObjectRef(PUBLISHED_ZONE, p.key, p.digest, p.size)))
    zones = load_zones(repo_dir)  # where the stores are now: the checkout's storage.yaml
    store = ZoneStore(zones[PUBLISHED_ZONE])
    result = AuditResult(commit, named=len(named))
    for info in store.list():
        result.listed += 1
        if info.key not in named:
            result.stray.append(Stray(info.key, info.size))
    keys = sorted(named)
    refs = [named[k][1] for k in keys]
    verdicts = verify_objects(zones, refs, DigestCache(default_path()), open_store=lambda _: store)
    for key, verdict in zip(keys, verdicts, strict=True):
        if verdict.status != "ok":
            result.missing.append(
                Missing(key, named[key][0], verdict.status, verdict.actual_digest)
            )
    result.stray.sort(key=lambda s: s.key)
    return result


def _publications(path: str, data: bytes) -> list[Publication]:
    """The published artifacts of one manifest; a manifest that cannot be read is an error
    (an audit that skipped it would call its objects stray)."""
    try:
        return publications(data)
    except (ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        raise GateFailure(f"{path}: not a readable promotion manifest ({exc})") from None
