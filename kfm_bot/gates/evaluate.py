"""Builds the gate context for a base/head pair and runs the gates (check, action, promote)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, cast

from kfm_bot.gates.engine.blocked import blocked_by
from kfm_bot.gates.engine.context import GateContext
from kfm_bot.gates.engine.gate_report import DatasetId, gate_report
from kfm_bot.gates.engine.gate_spec import GateSpec
from kfm_bot.gates.engine.runner import GateOutcome, combine, run_all
from kfm_bot.gates.registry import GATES
from kfm_bot.git import read
from kfm_bot.git.gitdir import GitDir
from kfm_bot.models.report import GateReport
from kfm_bot.progress import Progress
from kfm_bot.repo.changes import ChangeSet, Scope, direct_scope, widen
from kfm_bot.repo.documents import DocumentStore
from kfm_bot.repo.layout import (
    SOURCES_DIR,
    SPEC_FILE,
    SPECS_DIR,
    Kind,
    classify,
    source_path,
    spec_path,
)
from kfm_bot.repo.snapshot import CommitSnapshot, Snapshot, WorkTreeSnapshot, containing

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping


@dataclass
class Evaluation:
    ctx: GateContext
    results: list[GateOutcome]
    report: GateReport


def snapshots(
    repo: GitDir, root: Path, base: str | None, head: str | None, everything: bool
) -> tuple[Snapshot | None, Snapshot, ChangeSet]:
    """Resolve base and head (default: merge-base with the default branch, and the working tree)."""
    head_sha = read.resolve(repo, head) if head else None
    head_snap: Snapshot = (
        CommitSnapshot(repo, head_sha) if head_sha else WorkTreeSnapshot(repo, root)
    )
    if base is None and everything:
        return None, head_snap, ChangeSet(everything=True)
    if base is None:
        base_sha = read.merge_base(repo, read.default_branch(repo), head_sha or "HEAD")
    else:
        base_sha = read.resolve(repo, base)
    changes = ChangeSet(tuple(read.diff(repo, base_sha, head_sha)), everything=everything)
    return CommitSnapshot(repo, base_sha), head_snap, changes


def dataset_uses(
    docs: DocumentStore, snapshot: Snapshot, only: Iterable[str] | None = None
) -> dict[str, list[str]]:
    """Dataset slug -> source ids named by its spec: of every dataset, or of those in `only`."""
    wanted = None if only is None else {spec_path(slug) for slug in only}
    uses: dict[str, list[str]] = {}
    for path in snapshot.paths() if wanted is None else sorted(wanted):
        if not (path.startswith(SPECS_DIR + "/") and path.endswith("/" + SPEC_FILE)):
            continue  # cheap filter first: this loop sees every path of the tree
        info = classify(path)
        if info.kind is Kind.SPEC and path == spec_path(info.dataset_slug or ""):
            data = docs.data(path) or {}
            # Unvalidated: a malformed `sources` is iterated as it always was (gate A reports it).
            sources = cast("Iterable[object]", data.get("sources") or [])
            uses[info.dataset_slug or ""] = [s for s in sources if isinstance(s, str)]
    return uses


# Beyond this many changed sources the prefilter's command line grows long and most specs are
# candidates anyway: every spec is read instead.
MAX_NEEDLES = 256


def users_of(snapshot: Snapshot, source_ids: set[str]) -> set[str] | None:
    """Slugs of the datasets whose spec might name one of `source_ids` (a superset), or None
    when there are too many to prefilter.

    A spec can only parse to a list holding the id if its bytes hold the id itself, or an
    escape sequence spelling it (`"kgs\\x2dwells"`): YAML folds line breaks in scalars into
    spaces or nothing only through `\\`, and ids hold no spaces; the strict loader reads only
    UTF-8. So a spec with neither the id nor a backslash cannot use the source, and everything
    else is parsed strictly by the caller: the answer stays exact, and fails closed.
    """
    if len(source_ids) > MAX_NEEDLES or not all(_plain(s) for s in source_ids):
        return None
    found = containing(snapshot, f"{SPECS_DIR}/*/{SPEC_FILE}", [*sorted(source_ids), "\\"])
    return {p.split("/")[1] for p in found if classify(p).kind is Kind.SPEC}


def _plain(source_id: str) -> bool:
    """Printable ASCII without spaces: an id no line folding can spell (others: read all)."""
    return (
        source_id.isascii() and source_id.isprintable() and " " not in source_id and source_id != ""
    )


def compute_scope(changes: ChangeSet, snapshot: Snapshot, docs: DocumentStore) -> Scope:
    """What the gates run on. A change under policies/ can affect any dataset or source (a
    tightened allowlist, a new custom rule, a label's requirements), so it puts everything in
    scope: the simplest rule that is sound, and what `check --all` will judge after the merge.

    Otherwise only the specs the change can reach are parsed: those of the datasets it touches
    and of the datasets that may use a source it touches (`users_of`), not every spec of the
    repository; `widen` then gives what it gives over all of them.
    """
    scope = direct_scope(changes)
    if changes.everything or scope.policies_changed:
        uses = dataset_uses(docs, snapshot)
        sources = {
            p[len(SOURCES_DIR) + 1 :].removesuffix(".yaml")
            for p in snapshot.paths()
            if classify(p).kind is Kind.SOURCE
        }
        datasets = {p.split("/")[1] for p in snapshot.paths() if p.startswith(SPECS_DIR + "/")}
        return widen(Scope(sources, datasets, True), uses)
    users = users_of(snapshot, scope.sources) if scope.sources else set()
    only = None if users is None else scope.datasets | users
    return widen(scope, dataset_uses(docs, snapshot, only))


def evaluate(
    repo_dir: Path,
    base: str | None = None,
    head: str | None = None,
    everything: bool = False,
    today: date | None = None,
    policies_at: str | None = None,
    progress: Progress | None = None,
) -> Evaluation:
    """`policies_at`: a commit whose policies judge the change too (the default branch's tip
    after its policies changed, kfm_bot/app/policy_recheck.py); the worse result counts.
    `progress`: a terminal's progress line over the reading and the gates (`kfm-bot check`)."""
    repo = GitDir(repo_dir)
    base_snap, head_snap, changes = snapshots(repo, repo_dir, base, head, everything)
    if policies_at is None:
        return evaluate_snapshots(base_snap, head_snap, changes, today, progress=progress)
    rules = CommitSnapshot(repo, read.resolve(repo, policies_at))
    return evaluate_snapshots(base_snap, head_snap, changes, today, policy_snap=rules)


def _with_head_policies(ctx: GateContext, gates: Mapping[str, GateSpec]) -> list[GateOutcome]:
    """The gates again under the head's policies and custom rules.

    The base policies judge a PR so that it cannot loosen the rules it is judged by; the head's
    judge it too, because merging puts them in force on every dataset: a tightening that an
    untouched dataset violates fails here, not later on main.
    """
    from kfm_bot.policy.policyset import load_policies

    return run_all(replace(ctx, policies=load_policies(ctx.docs), policy_docs=ctx.docs), gates)


def _with_policies_of(
    ctx: GateContext, gates: Mapping[str, GateSpec], rules: DocumentStore
) -> list[GateOutcome]:
    """The gates again under another commit's policies (the default branch's new rules)."""
    from kfm_bot.policy.policyset import load_policies

    return run_all(replace(ctx, policies=load_policies(rules), policy_docs=rules), gates)


def evaluate_dataset(
    snapshot: Snapshot, slug: str, gates: Mapping[str, GateSpec], today: date | None = None
) -> Evaluation:
    """The gates on one dataset of a snapshot, as if a change had added every file of its
    directory (`kfm-bot validate`): its own files get gate A's tree checks, the sources it
    names are in scope, and no other dataset is judged. No base: the snapshot's own policies.
    """
    prefix = f"{SPECS_DIR}/{slug}/"
    changes = ChangeSet(
        tuple(read.Change("A", p) for p in snapshot.paths() if p.startswith(prefix))
    )
    return evaluate_snapshots(None, snapshot, changes, today, gates)


def evaluate_snapshots(
    base_snap: Snapshot | None,
    head_snap: Snapshot,
    changes: ChangeSet,
    today: date | None = None,
    gates: Mapping[str, GateSpec] = GATES,
    policy_snap: Snapshot | None = None,
    progress: Progress | None = None,
) -> Evaluation:
    from kfm_bot.canonical import spec_hash
    from kfm_bot.policy.policyset import load_policies

    if progress is not None:  # one unit for reading what is in scope, one per gate
        progress.total = len(gates) + 1
        progress.show("reading the repository")
    docs = DocumentStore(head_snap)
    base_docs = DocumentStore(base_snap) if base_snap is not None else None
    scope = compute_scope(changes, head_snap, docs)
    if changes.everything:  # every source is about to be read: read them in one batch
        docs.preload(source_path(s) for s in sorted(scope.sources))
    policies = load_policies(base_docs or docs)
    # `file://` zones are relative to the repository's directory: the one the head snapshot
    # reads (a commit's repository, the working tree or a pipeline's workspace directory).
    repo = getattr(head_snap, "repo", None)
    root = repo.path if isinstance(repo, GitDir) else getattr(head_snap, "root", None)
    ctx = GateContext(
        head_snap, changes, scope, docs, base_snap, base_docs, policies, today=today, repo_root=root
    )
    if progress is not None:
        progress.advance("read")
    try:
        results = run_all(ctx, gates, progress)
    finally:
        if progress is not None:
            progress.close()  # a gate that raised (a zone unreachable) leaves no stale line
    if base_docs is not None and scope.policies_changed:
        results = combine(results, _with_head_policies(ctx, gates))
    if policy_snap is not None:
        results = combine(results, _with_policies_of(ctx, gates, DocumentStore(policy_snap)))
    datasets = []
    for slug in sorted(scope.datasets):
        data = docs.data(spec_path(slug))
        blocks = tuple(b.source_id for b in blocked_by(docs, slug))
        datasets.append(DatasetId(slug, spec_hash(data) if data is not None else None, blocks))
    base_label = base_snap.label if base_snap is not None else None
    checked = bool(scope.sources or scope.datasets or scope.policies_changed or changes.everything)
    report = gate_report(base_label, head_snap.label, datasets, results, checked)
    return Evaluation(ctx, results, report)
