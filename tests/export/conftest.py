"""Export test fixtures: a promoted repository (built once per module), the CLI in-process."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from kfm_bot.cli import main
from tests.export.promoted_repo import promoted_repo

PUBLIC = "ks_county_boundaries"
RESTRICTED = "archaeo_site_density"


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


Kfm = Callable[..., Result]


@pytest.fixture(scope="module")
def promoted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A repository with the public and the restricted example datasets promoted (read-only)."""
    return promoted_repo(tmp_path_factory.mktemp("promoted") / "repo", PUBLIC, RESTRICTED)


@pytest.fixture
def kfm(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Kfm:
    monkeypatch.delenv("GITHUB_ACTOR", raising=False)

    def run(*args: str | Path) -> Result:
        capsys.readouterr()
        try:
            main([str(a) for a in args])
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def public_pack(
    promoted: tuple[Path, dict[str, str]], kfm: Kfm, tmp_path: Path
) -> tuple[Path, str]:
    """A fresh copy of the public dataset's pack (directory, with its tarball beside it)."""
    repo, versions = promoted
    out = tmp_path / "pack"
    done = export(kfm, repo, PUBLIC, versions[PUBLIC], out, "--tarball")
    assert done.code == 0, done.err
    return out, done.out.split("pack_hash ")[1].strip()


def copy_tree(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest)
    return dest


def export(kfm: Kfm, repo: Path, slug: str, version: str, out: Path, *extra: str) -> Result:
    """`kfm-bot export` of one version into `out`."""
    return kfm("export", "--repo", repo, "--slug", slug, "--version", version, "--out", out, *extra)
