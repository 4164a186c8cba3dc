"""`kfm-bot promote` end to end: plan, prepare (fail closed), land, tag, release; or a dry run."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from kfm_bot.attest.sign import Attestor
from kfm_bot.attest.statement import statement_path
from kfm_bot.canonical import sha256_digest
from kfm_bot.errors import EXIT_FAILED, EXIT_OK, GateFailure
from kfm_bot.git import read, write
from kfm_bot.git.gitdir import GitDir
from kfm_bot.ledger.chain import Ledger
from kfm_bot.ledger.records import manifest_path
from kfm_bot.ledger.segments import written
from kfm_bot.models.ledger import LedgerRecord
from kfm_bot.promotion.land import Target, commit_message, land_commit, ledger_fields
from kfm_bot.promotion.plan import Candidate, candidates, group, walk
from kfm_bot.promotion.prepare import Prepared, PromotionHost, Refusal, WantedRelease, prepare
from kfm_bot.promotion.publish import describe as describe_publication
from kfm_bot.promotion.publish import publish_artifacts
from kfm_bot.promotion.tags import (
    ensure_tag,
    existing_tags,
    local_tag,
    make_tag,
    promotion_commits,
    published_tags,
    tag_message,
    tag_name,
)
from kfm_bot.repo.layout import LEDGER_PATH
from kfm_bot.repo.snapshot import CommitSnapshot

RECENT_RELEASES = 10  # ledger entries whose release a run makes sure of (resumes a killed run)


@dataclass(frozen=True)
class PromoteOptions:
    repo_dir: Path
    commit: str | None = None
    dry_run: bool = False
    push: bool = False
    release: bool = False
    remote: str = "origin"
    branch: str | None = None
    push_token: str = field(default="", repr=False)


def promote(opts: PromoteOptions, host: PromotionHost, say: Callable[[str], None]) -> int:
    repo = GitDir(opts.repo_dir)
    if opts.push and opts.push_token:
        write.authenticate(repo, opts.remote, opts.push_token)
    branch = opts.branch or read.default_branch(repo).removeprefix(f"{opts.remote}/")
    target = Target(repo, branch, opts.remote if opts.push else None)
    tip = target.tip()
    ledger = target.ledger(tip)
    upto = read.resolve(repo, opts.commit) if opts.commit else tip
    plan = [] if _superseded(repo, upto, ledger) else _plan(repo, upto, ledger, host)
    if not plan:
        say("nothing to promote: every dataset version merged since the last promotion is recorded")
    refused = 0
    published = published_tags(target)  # the one tag listing of the run (see _finish)
    # Signing is set up before anything lands: a bad key or policy stops the run here.
    attestor = (
        None
        if opts.dry_run or not plan
        else Attestor.for_run(CommitSnapshot(repo, tip), os.environ)
    )
    for cand in plan:
        prepared = prepare(repo, cand, host)
        if isinstance(prepared, Refusal):
            refused += 1
            _refuse(prepared, host, say, opts.dry_run)
        elif opts.dry_run:
            before, (ledger, _) = ledger, ledger.append(ledger_fields(prepared))
            _describe(prepared, before, ledger, say)
        else:
            _tag_is_free(target, prepared, published)
            # The bytes first: a manifest never lands naming an object not yet published.
            publish_artifacts(
                prepared.zones, prepared.tag, prepared.files[prepared.manifest_path], say
            )
            commit, tip, tagged = land_commit(
                target, prepared, tip, partial(make_tag, target), attestor
            )
            if tagged:  # pushed with the commit: `_finish` has nothing to push for it
                published[prepared.tag] = commit
            say(f"promoted {prepared.tag} in commit {commit[:12]} ({prepared.manifest_digest})")
            if attestor is not None:
                say("  " + attestor.summary(prepared.manifest_path))
    if not opts.dry_run:
        _finish(target, tip, published, host, opts.release, say)
    return EXIT_FAILED if refused else EXIT_OK


def _plan(repo: GitDir, upto: str, ledger: Ledger, host: PromotionHost) -> list[Candidate]:
    return candidates(repo, group(repo, walk(repo, upto, ledger), host), ledger)


def _superseded(repo: GitDir, upto: str, ledger: Ledger) -> bool:
    """A later run already promoted past `upto` (runs are cumulative): nothing is left here."""
    last = ledger.last()
    if last is None:
        return False
    boundary = str(last["merge_commit"])
    return boundary != upto and read.merge_base(repo, upto, boundary) == upto


def _tag_is_free(target: Target, p: Prepared, published: dict[str, str]) -> None:
    """Refuse before landing anything when the release tag is already taken by other work."""
    taken = published.get(p.tag) or (None if target.remote else local_tag(target, p.tag))
    if taken is not None and target.ledger(target.tip()).find(p.candidate.slug, p.version) is None:
        raise GateFailure(
            f"tag {p.tag} already exists (at {taken[:12]}) but nothing promoted it; tags are "
            "never moved: investigate and remove it by hand, then re-run"
        )


def _refuse(refusal: Refusal, host: PromotionHost, say: Callable[[str], None], dry: bool) -> None:
    cand = refusal.candidate
    say(f"refused {cand.slug} ({cand.spec_hash[:19]}…): {refusal.reason}")
    if not dry:
        host.report_failure(
            cand.group.end,
            f"Promotion of {cand.slug} refused",
            f"Nothing was promoted for `{cand.slug}` from this merge: {refusal.reason}.",
        )


def _describe(p: Prepared, before: Ledger, ledger: Ledger, say: Callable[[str], None]) -> None:
    say(f"would promote {p.candidate.slug} as {p.version} (dry run: nothing written)")
    for line in describe_publication(p.files[p.manifest_path]):
        say(line)
    for path, data in sorted(p.files.items()):
        say(f"  write {path}  {sha256_digest(data)}")
    say(
        f"  write {statement_path(p.manifest_path)}  (the promotion statement: signed when "
        "$KFM_SIGNING_KEY is set, else unsigned)"
    )
    for path, data in written(before, ledger).items():
        verb = "append" if path == LEDGER_PATH else "seal"
        say(f"  {verb} {path}  {sha256_digest(data)} (if main does not move)")
    say(f"  ledger line {len(ledger.lines)}  {sha256_digest(ledger.lines[-1])}")
    message = commit_message(p, ledger)
    say("  commit message:\n" + "\n".join("    " + ln for ln in message.splitlines()))
    entry = json.loads(ledger.lines[-1])  # the line appended above: the tag anchors it
    say(f"  tag {p.tag}:\n" + "\n".join("    " + ln for ln in tag_message(entry).splitlines()))


def _finish(
    target: Target,
    tip: str,
    published: dict[str, str],
    host: PromotionHost,
    release: bool,
    say: Callable[[str], None],
) -> None:
    """Tags (and releases) for every ledger entry: completes whatever an earlier run left.

    `tip` is the branch as this run left it (fetched once at the start, or the commit it
    pushed), `published` the run's one tag listing: a tag another run pushed since is pushed
    again identically or refused by `ensure_tag`. Only entries whose tag is missing, and the
    most recent ones (re-checked, releases made sure of), are parsed and looked at; the rest of
    the ledger is read as (slug, version) names only, so a run costs about the same on the
    ten-thousandth promotion as on the first."""
    ledger = target.ledger(tip)
    have = existing_tags(target, published)
    recent = len(ledger.lines) - RECENT_RELEASES
    keys = ledger.keys()
    todo = [
        ledger.entry(n)
        for n, (slug, version) in enumerate(keys)
        if n >= recent or f"{slug}/{version}" not in have
    ]
    commits = promotion_commits(target.repo, tip, todo)
    for entry in todo:
        ensure_tag(target, entry, commits[tag_name(entry)], published)
    if release:
        last = [ledger.entry(n) for n in range(max(recent, 0), len(ledger.lines))]
        host.ensure_releases([_release(target, tip, e) for e in last])
    if ledger.lines:
        say(f"tags present for all {len(ledger.lines)} ledger entries")


def _release(target: Target, tip: str, entry: LedgerRecord) -> WantedRelease:
    path = manifest_path(entry["dataset_slug"], entry["dataset_version_id"])
    name = tag_name(entry)

    def manifest() -> bytes:  # exact bytes, read only for a release still missing them
        data = read.file_at(target.repo, tip, path)
        if data is None:
            raise GateFailure(f"the ledger records {name} but {path} is missing at {tip[:12]}")
        return data

    def statement() -> bytes | None:
        return read.file_at(target.repo, tip, statement_path(path))

    return WantedRelease(name, name, tag_message(entry), manifest, statement)
