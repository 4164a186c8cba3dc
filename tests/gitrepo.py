"""Real git repositories in temporary folders: the example content, then changes on a branch."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
CONTENT_DIRS = ("registry", "specs", "policies", "schemas")
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.org",
    "GIT_COMMITTER_NAME": "Test Author",
    "GIT_COMMITTER_EMAIL": "author@example.org",
    "GIT_AUTHOR_DATE": "2026-11-02T10:00:00Z",
    "GIT_COMMITTER_DATE": "2026-11-02T10:00:00Z",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_NOSYSTEM": "1",
    "HOME": "/nonexistent",
    "PATH": "/usr/bin:/bin:/usr/local/bin",
}


def git(repo: Path, *args: str, env: dict[str, str] | None = None) -> str:
    out = subprocess.run(
        ["git", *args], cwd=repo, env=env or GIT_ENV, check=True, capture_output=True, text=True
    )
    return out.stdout.strip()


def init_example_repo(dest: Path) -> Path:
    """A git repository on `main` holding the project's example content, one commit."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in CONTENT_DIRS:
        if (PROJECT / name).exists():
            shutil.copytree(PROJECT / name, dest / name)
    git(dest, "init", "-q", "-b", "main")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "example content")
    return dest


def apply_overlay(repo: Path, case: Path) -> None:
    """Copy `files/**` over the repo, make `symlinks.json`'s links, delete `delete.txt`'s."""
    files = case / "files"
    if files.is_dir():
        for src in sorted(files.rglob("*")):
            if src.is_file() or src.is_symlink():
                target = repo / src.relative_to(files)
                target.parent.mkdir(parents=True, exist_ok=True)
                if target.exists() or target.is_symlink():
                    target.unlink()
                if src.is_symlink():
                    target.symlink_to(src.readlink())
                else:
                    shutil.copyfile(src, target)
    # Symlinks are made here, not committed: the project's own tree stays free of them.
    links = case / "symlinks.json"
    if links.exists():
        for name, target in json.loads(links.read_text()).items():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            (repo / name).symlink_to(target)
    deletions = case / "delete.txt"
    if deletions.exists():
        for line in deletions.read_text().splitlines():
            if line.strip():
                git(repo, "rm", "-q", "-r", line.strip())


def commit_all(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)
    return git(repo, "rev-parse", "HEAD")
