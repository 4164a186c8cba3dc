"""Pushing with a token: only through this process's environment, never in config or messages."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from kfm_bot.errors import ServiceError
from kfm_bot.git import write
from kfm_bot.git.gitdir import GitDir, gitpython
from tests.gitrepo import git, init_example_repo

TOKEN = "ghs_" + "S3cr3t" * 6


def test_https_remote_gets_an_extraheader_from_the_environment_only(tmp_path: Path) -> None:
    repo_dir = init_example_repo(tmp_path / "repo")
    git(repo_dir, "remote", "add", "origin", "https://github.example/org/data.git")
    config_before = (repo_dir / ".git" / "config").read_text()
    repo = GitDir(repo_dir)
    assert write.authenticate(repo, "origin", TOKEN)
    header = str(gitpython(repo).git.config("--get", "http.https://github.example/.extraheader"))
    assert (
        header
        == "AUTHORIZATION: basic " + base64.b64encode(f"x-access-token:{TOKEN}".encode()).decode()
    )
    assert (repo_dir / ".git" / "config").read_text() == config_before


def test_a_local_remote_needs_no_token(tmp_path: Path) -> None:
    repo_dir = init_example_repo(tmp_path / "repo")
    git(repo_dir, "remote", "add", "origin", str(tmp_path / "elsewhere.git"))
    assert not write.authenticate(GitDir(repo_dir), "origin", TOKEN)


def test_a_failing_push_names_no_token(tmp_path: Path) -> None:
    repo_dir = init_example_repo(tmp_path / "repo")
    git(repo_dir, "remote", "add", "origin", f"https://x-access-token:{TOKEN}@127.0.0.1:9/d.git")
    repo = GitDir(repo_dir)
    write.authenticate(repo, "origin", TOKEN)
    with pytest.raises(ServiceError) as caught:
        write.push(repo, "origin", "HEAD:refs/heads/main")
    assert TOKEN not in caught.value.message and "S3cr3t" not in str(caught.value)


def test_no_such_remote_is_not_an_error_here(tmp_path: Path) -> None:
    repo_dir = init_example_repo(tmp_path / "repo")
    assert not write.authenticate(GitDir(repo_dir), "origin", TOKEN)
