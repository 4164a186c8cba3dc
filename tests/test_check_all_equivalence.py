"""`check --all`'s fast path reports exactly what the plain per-file path reports.

The fast path reads every source through one pipelined `git cat-file --batch`
(`DocumentStore.preload`), answers gate A's short reads from the prefixes kept then, and
builds plain string scalars inline (`Builder.inline`). The reference is the path before them:
each file read on demand through GitPython, every event through the rule methods. The repo
mixes valid sources with every hostile file of `tests/bad_inputs/`, a symlink, an LFS
pointer, YAML only the pure parser reads, invisible characters and duplicate keys.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kfm_bot.gates.evaluate import evaluate
from kfm_bot.repo.documents import DocumentStore
from kfm_bot.yaml.build import Builder
from tests.gitrepo import PROJECT, commit_all, init_example_repo

pytestmark = pytest.mark.slow  # real git repositories, git processes

TODAY = date(2026, 11, 29)
BAD_INPUTS = PROJECT / "tests" / "bad_inputs"


def _template(repo: Path) -> tuple[str, str]:
    for path in sorted((repo / "registry/sources").glob("*.yaml")):
        text = path.read_text()
        if "policy_label: public" in text and "status: active" in text:
            return path.stem, text
    raise AssertionError("no public active source in the example content")


def _varied_repo(root: Path) -> Path:
    repo = init_example_repo(root / "repo")
    sources = repo / "registry/sources"
    stem, text = _template(repo)

    def clone(new_id: str, body: str | None = None) -> None:
        body = re.sub(rf"\b{re.escape(stem)}\b", new_id, body if body is not None else text)
        (sources / f"{new_id}.yaml").write_text(body, encoding="utf-8")

    for i in range(30):
        clone(f"valid-{i:02d}")
    clone("flow-colon", text + "extra: {d: sha256:ab, u: [https://x.org]}\n")  # pure parser
    clone("zero-width", text.replace("title: ", "title: a\u200bb ", 1))
    clone("duplicate", text + "status: retired\n")
    clone("ambiguous", text + "flag: yes\nleading: 012\nwhen: 2026-01-01\n")
    clone("anchored", text + "x: &a 1\ny: *a\n")
    clone("deep", text + "deep: " + "[" * 80 + "]" * 80 + "\n")
    clone("not-a-mapping", "- a\n- b\n")
    clone("empty", "")
    (sources / "lfs-pointer.yaml").write_text(
        "version https://git-lfs.github.com/spec/v1\noid sha256:" + "0" * 64 + "\nsize 12\n"
    )
    (sources / "symlinked.yaml").symlink_to("valid-00.yaml")
    for bad in sorted(BAD_INPUTS.glob("*.yaml")):
        shutil.copyfile(bad, sources / f"bad-{bad.stem}.yaml")
    commit_all(repo, "a varied registry")
    return repo


def _report(repo: Path, head: str | None) -> dict[str, object]:
    return evaluate(repo, None, head, everything=True, today=TODAY).report.model_dump()


@pytest.mark.parametrize("head", ["main", None], ids=["commit", "working-tree"])
def test_fast_path_findings_equal_the_per_file_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, head: str | None
) -> None:
    repo = _varied_repo(tmp_path)
    fast = _report(repo, head)
    with monkeypatch.context() as m:
        m.setattr(DocumentStore, "preload", lambda self, paths: None)
        m.setattr(Builder, "inline", False)
        reference = _report(repo, head)
    assert fast == reference
    # The comparison is about something: the bad files were judged, and the valid ones read.
    rules = {f["rule"] for g in fast["gates"] for f in g["findings"]}  # type: ignore[attr-defined]
    assert {"A.yaml-duplicate-key", "A.lfs-pointer", "A.symlink", "A.yaml-anchor"} <= rules
    assert fast["conclusion"] == "failure"


def _split(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Parse in two processes even for this small repo; the child pids, as started."""
    from kfm_bot.repo import split_parse

    started: list[int] = []
    start = split_parse._start

    def counted(*args: object) -> tuple[int, int] | None:
        child = start(*args)  # type: ignore[arg-type]
        if child is not None:
            started.append(child[0])
        return child

    monkeypatch.setattr(split_parse, "MIN_FILES", 2)
    monkeypatch.setattr(split_parse, "available", lambda: True)
    monkeypatch.setattr(split_parse, "_start", counted)
    return started


def _reference(repo: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    with monkeypatch.context() as m:
        m.setattr(DocumentStore, "preload", lambda self, paths: None)
        m.setattr(Builder, "inline", False)
        return _report(repo, "main")


def test_two_process_parsing_reports_what_one_process_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The child's half comes back packed, or raw for the files with findings (parsed here):
    the same report, findings and all, as the per-file path."""
    repo = _varied_repo(tmp_path)
    reference = _reference(repo, monkeypatch)
    started = _split(monkeypatch)
    read_here = _reads(monkeypatch)
    assert _report(repo, "main") == reference
    assert len(started) == 1
    assert not any(p.endswith("valid-29.yaml") for p in read_here)  # the child's half


def test_a_child_that_dies_half_way_leaves_its_files_to_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure in the child (here: while parsing one of its files) costs time, not
    findings: its unfinished files are read and parsed here."""
    import kfm_bot.repo.documents as documents

    repo = _varied_repo(tmp_path)
    reference = _reference(repo, monkeypatch)
    started = _split(monkeypatch)
    real = documents._packed_or_none

    def dies(path: str, raw: bytes) -> bytes | None:
        if path.endswith("valid-29.yaml"):
            raise MemoryError("the child runs out")
        return real(path, raw)

    monkeypatch.setattr(documents, "_packed_or_none", dies)
    read_here = _reads(monkeypatch)
    assert _report(repo, "main") == reference
    assert len(started) == 1
    assert any(p.endswith("valid-29.yaml") for p in read_here)  # the fallback read it here


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every path this process reads in bulk (the child's reads happen in the child)."""
    from kfm_bot.repo.snapshot import CommitSnapshot

    seen: list[str] = []
    real = CommitSnapshot.read_many

    def recorded(self: CommitSnapshot, paths: Iterable[str], limit: int) -> Iterator[Any]:
        paths = list(paths)
        seen.extend(paths)
        return real(self, paths, limit)

    monkeypatch.setattr(CommitSnapshot, "read_many", recorded)
    return seen
