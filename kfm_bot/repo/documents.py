"""Parsed documents of one snapshot: each file strictly loaded at most once, schema findings kept.

Every layer above the repository reads documents through this store (gates, approvals, policy,
promotion, export), so it lives here and not with the gates that first needed it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Sequence
from functools import partial
from typing import TYPE_CHECKING, TypeVar

from pydantic import BaseModel, ValidationError

from kfm_bot.findings import Finding, error
from kfm_bot.repo import split_parse
from kfm_bot.repo.snapshot import CommitSnapshot, Snapshot

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

    from kfm_bot.models.json_types import JSONObject
    from kfm_bot.yaml.strict import Loaded

M = TypeVar("M", bound=BaseModel)


class DocumentStore:
    """Loads each file at most once; keeps strict-YAML and schema findings for gates A and F.

    Files loaded in bulk (`preload`, for `check --all`) are kept packed (`yaml.strict.pack`,
    a quarter of their size as objects) and unpacked on each use (4 µs; gates go over the
    sources once per check, so a cache of recent ones is not hit): memory grows by ~1 KB per
    valid document, not by every parsed value. Their models are validated on each request,
    not kept (a pydantic model is another 3 KB).
    """

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self._loaded: dict[str, Loaded | None] = {}
        self._packed: dict[str, bytes] = {}
        self._models: dict[tuple[str, type[BaseModel]], BaseModel | None] = {}
        # Packed documents already validated against a model: a pair is ~100 bytes where the
        # model would be 3 KB, and several gates ask the same question of every source.
        self._fit: dict[tuple[str, type[BaseModel]], bool] = {}
        self.schema_findings: dict[str, list[Finding]] = {}

    def load(self, path: str) -> Loaded | None:
        """The strictly parsed document, or None when the path is not a regular file."""
        if path in self._loaded:
            return self._loaded[path]
        if path in self._packed:
            return self._unpacked(path)
        loaded = self._loaded[path] = self._read(path)
        return loaded

    def loader_findings(self, path: str) -> tuple[Finding, ...] | None:
        """The strict-YAML findings of the document (None when not a regular file), without
        unpacking one that was packed: `pack` keeps only documents that have none."""
        if path in self._packed:
            return ()
        loaded = self.load(path)
        return None if loaded is None else loaded.findings

    def _unpacked(self, path: str) -> Loaded:
        from kfm_bot.yaml.strict import unpack

        return unpack(path, self._packed[path], partial(self._body, path))

    def _body(self, path: str) -> bytes:
        from kfm_bot.yaml.strict import MAX_BYTES

        return self.snapshot.read(path, MAX_BYTES + 1)

    def preload(self, paths: Iterable[str]) -> None:
        """Load many files at once (`check --all`): a commit's blobs come through one pipelined
        git process instead of a round trip each; what `load` returns is the same."""
        from kfm_bot.yaml.strict import MAX_BYTES, pack

        todo = [p for p in paths if p not in self._loaded and p not in self._packed]
        regular = [p for p in todo if (e := self.snapshot.entry(p)) is not None and e.is_regular]
        blobs: Iterable[tuple[str, bytes]]
        if isinstance(self.snapshot, CommitSnapshot):
            if len(regular) >= split_parse.MIN_FILES and split_parse.available():
                # two cores: a forked child parses half (repo/split_parse.py)
                blobs = split_parse.read_split(
                    self.snapshot, regular, MAX_BYTES + 1, _packed_or_none, self._packed.__setitem__
                )
            else:
                blobs = self.snapshot.read_many(regular, MAX_BYTES + 1)
        else:
            blobs = ((p, self.snapshot.read(p, MAX_BYTES + 1)) for p in regular)
        # Parsing makes only acyclic values: a cycle collection in between could free
        # nothing and would walk everything parsed so far (8% of the time).
        collecting = gc.isenabled()
        gc.disable()
        try:
            for path, raw in blobs:
                loaded = _parse(raw, path)
                packed = pack(loaded)
                if packed is None:
                    self._loaded[path] = loaded  # findings: kept whole, they are few
                else:
                    self._packed[path] = packed
        finally:
            if collecting:
                gc.enable()
        for path in todo:  # not regular files: what `load` says of them
            if path not in self._loaded and path not in self._packed:
                self.load(path)

    def _read(self, path: str) -> Loaded | None:
        from kfm_bot.yaml.strict import MAX_BYTES

        entry = self.snapshot.entry(path)
        if entry is None or not entry.is_regular:
            return None
        return _parse(self.snapshot.read(path, MAX_BYTES + 1), path)

    def data(self, path: str) -> JSONObject | None:
        packed = self._packed.get(path)
        if packed is not None:  # the value alone: no `Loaded` around it
            from kfm_bot.yaml.strict import unpack_data

            return unpack_data(packed)
        loaded = self.load(path)
        return None if loaded is None else loaded.data

    def model(self, path: str, cls: type[M]) -> M | None:
        """The document as `cls`, or None (with located findings kept) when it does not fit."""
        if path in self._packed:
            return self._validate(path, cls)
        key = (path, cls)
        if key not in self._models:
            self._models[key] = self._validate(path, cls)
        cached = self._models[key]
        return cached if isinstance(cached, cls) else None

    def fits(self, path: str, cls: type[BaseModel]) -> bool:
        """Whether the document fits `cls` (located findings kept as by `model`). A packed
        document is validated once per model, and not unpacked again to answer."""
        known = self._fit.get((path, cls))
        if known is not None:
            return known
        return self.fitting_data(path, cls) is not None

    def fitting_data(self, path: str, cls: type[BaseModel]) -> JSONObject | None:
        """The document's value when it fits `cls`, else None: for callers that need the
        answer and the plain value, not the model (see `fits`)."""
        if path not in self._packed:
            return self.data(path) if self.model(path, cls) is not None else None
        key = (path, cls)
        fits = self._fit.get(key)
        if fits is False:
            return None
        data = self.data(path)
        if fits is None:
            fits = self._fit[key] = self._check(path, cls, data) is not None
        return data if fits else None

    def _validate(self, path: str, cls: type[M]) -> M | None:
        return self._check(path, cls, self.data(path))

    def _check(self, path: str, cls: type[M], data: JSONObject | None) -> M | None:
        if data is None:
            return None
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            loaded = self.load(path)  # positions, only now that findings need them
            assert loaded is not None
            self.schema_findings[path] = [_located(loaded, e) for e in exc.errors()]
            return None

    def loaded_paths(self) -> list[str]:
        return sorted([*(p for p, v in self._loaded.items() if v is not None), *self._packed])


def _packed_or_none(path: str, raw: bytes) -> bytes | None:
    """In split_parse's child: the packed document, or None for one with findings (kept whole,
    so parsed again by the parent)."""
    from kfm_bot.yaml.strict import pack

    return pack(_parse(raw, path))


def _parse(raw: bytes, path: str) -> Loaded:
    from kfm_bot.yaml.json_strict import json_syntax_finding
    from kfm_bot.yaml.strict import Loaded, load_strict

    # A JSON file that is not JSON gets a JSON error, never YAML's reading of it.
    if (bad_json := json_syntax_finding(raw, path)) is not None:
        return Loaded(path, None, (bad_json,))
    return load_strict(raw, path)


def _located(loaded: Loaded, err: ErrorDetails) -> Finding:
    loc: Sequence[str | int] = tuple(p for p in err["loc"] if isinstance(p, (str, int)))
    line, col = loaded.locate(loc)
    where = ".".join(str(p) for p in loc) or "document"
    return error("F.schema", f"{where}: {err['msg']}", loaded.path, line, col)
