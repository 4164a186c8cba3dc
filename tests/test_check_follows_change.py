"""A one-change check reads what the change can reach, and finds exactly what reading all did.

The check of a change no longer parses every spec, lists the base's tree, or scans every path
for collisions; these tests hold the narrowed work to the full work's answer on real
repositories: a withdrawn source used by an untouched dataset is still caught (also when the
spec spells the id with YAML escapes), a commit read folder by folder equals its whole listing,
and the folder lookups equal a scan.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kfm_bot.gates.a_identity.tree import _Folders, _Index
from kfm_bot.gates.evaluate import dataset_uses, evaluate, snapshots, users_of
from kfm_bot.git.gitdir import GitDir
from kfm_bot.repo.changes import direct_scope, widen
from kfm_bot.repo.documents import DocumentStore
from kfm_bot.repo.snapshot import CommitSnapshot, under
from tests.bad_trees.memory import MemorySnapshot
from tests.gitrepo import commit_all, git, init_example_repo

WELLS = "registry/sources/kgs-water-wells.yaml"  # used by ks_water_wells only
WELLS_SPEC = "specs/ks_water_wells/spec.yaml"


def _branch(tmp_path: Path, edit: object) -> Path:
    """The example content on main, and branch `change` holding what `edit(repo)` did."""
    repo = init_example_repo(tmp_path / "repo")
    git(repo, "checkout", "-q", "-b", "change")
    edit(repo)  # type: ignore[operator]
    commit_all(repo, "change")
    return repo


def _full_scope(repo: Path) -> tuple[set[str], set[str]]:
    """The scope as it was computed before: every spec of the head parsed."""
    _, head, changes = snapshots(GitDir(repo), repo, "main", "change", False)
    scope = widen(direct_scope(changes), dataset_uses(DocumentStore(head), head))
    return scope.sources, scope.datasets


def _scope(repo: Path) -> tuple[set[str], set[str]]:
    report = evaluate(repo, "main", "change").ctx.scope
    return report.sources, report.datasets


def _delete_wells(repo: Path) -> None:
    (repo / WELLS).unlink()


def _withdraw_wells(repo: Path) -> None:
    path = repo / WELLS
    path.write_text(path.read_text().replace("status: active", "status: withdrawn"))


def _escaped_spec_then_delete(repo: Path) -> None:
    """The spec names the source through YAML escapes: its bytes never hold the id."""
    spec = repo / WELLS_SPEC
    spec.write_text(
        spec.read_text().replace("  - kgs-water-wells", '  - "kgs\\x2dwater\\x2dwells"')
    )
    commit_all(repo, "escaped id")
    git(repo, "branch", "-f", "main")  # the escaped spelling is already on main
    (repo / WELLS).unlink()


@pytest.mark.parametrize(
    "edit", [_delete_wells, _withdraw_wells, _escaped_spec_then_delete], ids=lambda f: f.__name__
)
def test_a_changed_source_puts_the_untouched_datasets_using_it_in_scope(
    tmp_path: Path, edit: object
) -> None:
    repo = _branch(tmp_path, edit)
    sources, datasets = _scope(repo)
    assert "ks_water_wells" in datasets  # found by the prefilter, then a strict parse
    assert (sources, datasets) == _full_scope(repo)


def test_a_deleted_source_still_used_by_an_untouched_spec_fails_the_check(tmp_path: Path) -> None:
    repo = _branch(tmp_path, _escaped_spec_then_delete)
    report = evaluate(repo, "main", "change").report
    rules = {(f.rule, f.path) for g in report.gates for f in g.findings}
    assert ("A.source-in-use", WELLS_SPEC) in rules


def test_the_prefilter_keeps_only_specs_that_can_name_the_source(tmp_path: Path) -> None:
    repo = _branch(tmp_path, _withdraw_wells)
    head = CommitSnapshot(GitDir(repo), git(repo, "rev-parse", "change"))
    assert users_of(head, {"kgs-water-wells"}) == {"ks_water_wells"}
    assert users_of(head, {"no-such-source"}) == set()
    # An id that line folding could spell (a space) is not prefiltered: every spec is read.
    assert users_of(head, {"a b"}) is None


def _rename_retype_and_add(repo: Path) -> None:
    git(repo, "mv", WELLS, "registry/sources/kgs-water-wells-renamed.yaml")
    (repo / "specs/ks_water_wells/qa/report.json").chmod(0o755)
    (repo / "specs/new_dataset").mkdir()
    (repo / "specs/new_dataset/spec.yaml").write_text("dataset_slug: new_dataset\n")
    (repo / "specs/ks_county_boundaries/spec.yaml").unlink()


def test_a_commit_read_folder_by_folder_equals_its_whole_listing(tmp_path: Path) -> None:
    repo = _branch(tmp_path, _rename_retype_and_add)
    for rev in ("main", "change"):
        commit = git(repo, "rev-parse", rev)
        whole = CommitSnapshot(GitDir(repo), commit)
        listed = sorted(whole.paths())
        lazy = CommitSnapshot(GitDir(repo), commit)  # asked about paths, never listed whole
        for path in [*listed, "specs", "specs/ks_water_wells", "nope.yaml", "specs/x/spec.yaml"]:
            assert lazy.entry(path) == whole.entry(path), path
        assert [lazy.read(p) for p in listed] == [whole.read(p) for p in listed]
        for folder in ("", "specs", "specs/ks_water_wells", "registry/sources", "missing"):
            prefix = folder + "/" if folder else ""
            below = {p[len(prefix) :].partition("/")[::2] for p in listed if p.startswith(prefix)}
            assert lazy.children(folder) == {n: bool(rest) for n, rest in below}, folder
        assert lazy._records is None  # the whole listing was never made


def test_folder_lookups_equal_a_scan_of_every_path(tmp_path: Path) -> None:
    repo = _branch(tmp_path, _rename_retype_and_add)
    commit = git(repo, "rev-parse", "change")
    whole = sorted(CommitSnapshot(GitDir(repo), commit).paths())
    head = CommitSnapshot(GitDir(repo), commit)
    for prefix in ("specs/", "specs/ks_water_wells/", "specs/ks_water", "registry/sources/", "x/"):
        assert under(head, prefix) == [p for p in whole if p.startswith(prefix)], prefix


def test_the_working_tree_check_finds_the_users_of_a_changed_source_too(tmp_path: Path) -> None:
    repo = _branch(tmp_path, _escaped_spec_then_delete)
    git(repo, "checkout", "-q", "main")  # the source is back on disk; delete it, uncommitted
    (repo / WELLS).unlink()
    evaluation = evaluate(repo, "main", None)
    assert "ks_water_wells" in evaluation.ctx.scope.datasets
    rules = {(f.rule, f.path) for g in evaluation.report.gates for f in g.findings}
    assert ("A.source-in-use", WELLS_SPEC) in rules


# Names that collide by case, by Unicode form (NFD vs NFC, a ligature), and one whose fullwidth
# solidus normalises to a deeper path: each changed path must get the same answer from the
# folders along it as from an index of the whole tree.
TRICKY = [
    "specs/Ks_water_wells/spec.yaml",
    "specs/ks_water_wells/spec.yaml",
    "specs/caf\u00e9/spec.yaml",
    "specs/cafe\u0301/qa/report.json",
    "specs/\ufb01sh/spec.yaml",
    "specs/fish/spec.yaml",
    "specs/a\uff0fb",
    "specs/a/b/spec.yaml",
    "registry/sources/x.yaml",
    "Registry/y.yaml",
    "registry/sources/lone.yaml",
]


@pytest.mark.parametrize("path", TRICKY)
def test_collisions_from_the_folders_along_a_path_equal_the_whole_index(path: str) -> None:
    head = MemorySnapshot({p: b"x: 1\n" for p in TRICKY})
    assert _Folders(head).collisions(path) == _Index(head.paths()).collisions(path)


def test_the_tricky_names_do_collide() -> None:  # so the comparison above is not vacuous
    head = MemorySnapshot({p: b"x: 1\n" for p in TRICKY})
    rules = [f.rule for p in TRICKY for f in _Folders(head).collisions(p)]
    assert "A.path-case-collision" in rules and "A.path-unicode-collision" in rules
    assert _Folders(head).collisions("specs/a/b/spec.yaml")  # the fullwidth solidus
    assert _Folders(head).collisions("registry/sources/lone.yaml")  # by Registry/
