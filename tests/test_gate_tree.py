"""Gate A tree checks on in-memory trees: file kinds, colliding names, path characters, layout."""

from __future__ import annotations

import pytest

from kfm_bot.findings import Finding
from kfm_bot.gates.a_identity import tree
from kfm_bot.repo.snapshot import MODE_SUBMODULE, MODE_SYMLINK
from tests.bad_trees import content
from tests.bad_trees.memory import MemorySnapshot, context

LFS = b"version https://git-lfs.github.com/spec/v1\noid sha256:" + b"0" * 64 + b"\nsize 12\n"
FIXTURE = "specs/county_lines/fixtures/"


def _run(
    added: dict[str, bytes], modes: dict[str, str] | None = None, everything: bool = False
) -> list[Finding]:
    base = MemorySnapshot(content.files())
    head = MemorySnapshot({**content.files(), **added}, modes)
    return tree.run(context(head, base, everything=everything))


def test_clean_change_and_whole_tree_pass() -> None:
    assert _run({FIXTURE + "more.geojson": b"{}"}) == []
    assert _run({}, everything=True) == []


@pytest.mark.parametrize(
    ("added", "modes", "rule"),
    [
        (
            {FIXTURE + "link.geojson": b"../../x"},
            {FIXTURE + "link.geojson": MODE_SYMLINK},
            "A.symlink",
        ),
        ({}, {FIXTURE + "vendored": MODE_SUBMODULE}, "A.submodule"),
        ({FIXTURE + "big.geojson": LFS}, None, "A.lfs-pointer"),
        ({FIXTURE + "Sample.geojson": b"{}"}, None, "A.path-case-collision"),
        ({"specs/County_lines/qa/x.json": b"{}"}, None, "A.path-case-collision"),
        (
            {FIXTURE + "caf\u00e9.geojson": b"{}", FIXTURE + "cafe\u0301.geojson": b"{}"},
            None,
            "A.path-unicode-collision",
        ),
        ({FIXTURE + "\uff53ample.geojson": b"{}"}, None, "A.path-unicode-collision"),
        ({FIXTURE + "a\\b.geojson": b"{}"}, None, "A.path-characters"),
        ({FIXTURE + "tab\there.geojson": b"{}"}, None, "A.path-characters"),
        ({"registry/sources/r\u00e9seau.yaml": b"{}"}, None, "A.path-characters"),
        ({"registry/notes.txt": b"x"}, None, "A.unexpected-path"),
        ({"registry/sources/x.yml": b"x"}, None, "A.unexpected-path"),
        ({"specs/county_lines/data/x.csv": b"x"}, None, "A.unexpected-path"),
        ({"specs/county_lines/spec.yml": b"x"}, None, "A.unexpected-path"),
    ],
)
def test_hostile_additions_are_findings(
    added: dict[str, bytes], modes: dict[str, str] | None, rule: str
) -> None:
    found = _run(added, modes)
    assert rule in {f.rule for f in found}, found
    assert all(f.path and f.line == 1 for f in found)


def test_only_changed_paths_are_checked_unless_all() -> None:
    base = MemorySnapshot({**content.files(), "registry/odd.txt": b"x"})
    assert tree.run(context(base, base)) == []
    found = tree.run(context(base, base, everything=True))
    assert [(f.rule, f.path) for f in found] == [("A.unexpected-path", "registry/odd.txt")]


def test_messages_escape_invisible_characters() -> None:
    (f,) = _run({"registry/sources/a\u202eb.yaml": b"{}"})
    assert "\\u202e" in f.message and "\u202e" not in f.message
