"""`kfm-bot init --force` and `kfm-bot new` over symlinked folders: a checkout whose
`registry/` or `specs/` links elsewhere must not make them write files outside it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.test_scaffold import init, kfm

pytestmark = pytest.mark.slow  # subprocesses


def _refused(out: subprocess.CompletedProcess[str], needle: str) -> None:
    assert out.returncode == 2, (out.stdout, out.stderr)
    assert needle in out.stderr and "Traceback" not in out.stderr, out.stderr


def test_init_force_into_a_folder_whose_registry_links_outside(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    target = tmp_path / "gov"
    target.mkdir()
    (target / "registry").symlink_to(outside)
    _refused(init(target, "--force"), "registry is a symbolic link")
    assert list(outside.iterdir()) == []
    assert sorted(p.name for p in target.iterdir()) == ["registry"]  # nothing half-written


def test_init_into_a_dangling_symlink_is_a_usage_error(tmp_path: Path) -> None:
    target = tmp_path / "gov"
    target.symlink_to(tmp_path / "nowhere")
    _refused(init(target), "symbolic link to nothing")
    assert not (tmp_path / "nowhere").exists()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    gov = tmp_path / "gov"
    assert init(gov).returncode == 0
    return gov


def test_new_source_into_a_symlinked_sources_folder(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (repo / "registry/sources").rename(outside)
    (repo / "registry/sources").symlink_to(outside)
    before = sorted(p.name for p in outside.iterdir())
    _refused(kfm("new", "source", "evil-src", cwd=repo), "registry/sources is a symbolic link")
    assert sorted(p.name for p in outside.iterdir()) == before


def test_new_dataset_into_a_symlinked_specs_folder(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (repo / "specs").rename(outside)
    (repo / "specs").symlink_to(outside)
    before = sorted(p.name for p in outside.iterdir())
    source = next((repo / "registry/sources").glob("*.yaml")).stem
    out = kfm("new", "dataset", "evil_ds", "--source", source, cwd=repo)
    _refused(out, "specs is a symbolic link")
    assert sorted(p.name for p in outside.iterdir()) == before


@pytest.mark.parametrize(
    ("option", "value", "needle"),
    [
        ("--kfm-bot-ref", "0123456789abcdef0123456789abcdef01234567\n", "40-hex commit sha"),
        ("--kfm-bot-repository", "example-org/kfm-bot\n", "is not OWNER/NAME"),
        ("--steward", "bob:42\n", "must be LOGIN:ID"),
    ],
)
def test_init_refuses_a_value_ending_in_a_newline(
    tmp_path: Path, option: str, value: str, needle: str
) -> None:
    """`$` in a pattern matches before a final newline: it would reach the workflows' `uses:`."""
    target = tmp_path / "gov"
    _refused(init(target, option, value), needle)
    assert not target.exists()
