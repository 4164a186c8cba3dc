"""What a pull request changed, and which sources and datasets that puts in scope."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from kfm_bot.git.read import Change
from kfm_bot.repo.layout import Kind, classify


@dataclass(frozen=True)
class ChangeSet:
    """The changed paths between base and head; `everything` when checking the whole tree."""

    changes: tuple[Change, ...] = ()
    everything: bool = False

    @property
    def touched(self) -> frozenset[str]:
        paths = {c.path for c in self.changes}
        paths.update(c.old_path for c in self.changes if c.old_path)
        return frozenset(paths)

    def deleted(self) -> list[str]:
        gone = [c.path for c in self.changes if c.status == "D"]
        gone += [c.old_path for c in self.changes if c.status == "R" and c.old_path]
        return gone

    def added_or_modified(self) -> list[str]:
        return [c.path for c in self.changes if c.status in "AMRT"]


@dataclass
class Scope:
    """Sources and datasets whose gates run: what changed plus what depends on it."""

    sources: set[str] = field(default_factory=set)
    datasets: set[str] = field(default_factory=set)
    policies_changed: bool = False


def direct_scope(changes: ChangeSet) -> Scope:
    scope = Scope()
    for path in changes.touched:
        info = classify(path)
        if info.kind is Kind.SOURCE and info.source_id:
            scope.sources.add(info.source_id)
        elif info.kind in (Kind.SPEC, Kind.DATASET_FILE) and info.dataset_slug:
            scope.datasets.add(info.dataset_slug)
        elif info.kind is Kind.POLICY:
            scope.policies_changed = True
    return scope


def widen(scope: Scope, uses: Mapping[str, Iterable[str]]) -> Scope:
    """Add every dataset that uses a changed source, and every source a dataset in scope uses.

    `uses` maps dataset slug -> the source ids its spec names (at head).
    """
    for slug, sources in uses.items():
        srcs = set(sources)
        if srcs & scope.sources:
            scope.datasets.add(slug)
    for slug in list(scope.datasets):
        scope.sources.update(uses.get(slug, ()))
    return scope
