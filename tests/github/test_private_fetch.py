"""The privileged run fetches a private repository's PR with the workflow token, leaking nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from kfm_bot.errors import KfmError
from kfm_bot.git.gitdir import gitpython
from kfm_bot.github import pull_workspace
from kfm_bot.github.interface import Pull, User
from tests.gitrepo import git, init_example_repo

TOKEN = "ghs_" + "Pr1vate" * 5


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    repo = init_example_repo(tmp_path / "checkout")
    git(repo, "remote", "add", "origin", "https://127.0.0.1:9/org/private.git")
    return repo


def test_the_token_reaches_git_through_the_environment(
    checkout: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    repo = pull_workspace._origin(checkout)
    assert str(
        gitpython(repo).git.config("--get", "http.https://127.0.0.1/.extraheader")
    ).startswith("AUTHORIZATION: basic ")
    assert TOKEN not in (checkout / ".git" / "config").read_text()


def test_a_failed_fetch_is_one_sentence_without_the_token(
    checkout: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    pull = Pull(
        7,
        "open",
        "a" * 40,
        "feat",
        "org/private",
        "main",
        "b" * 40,
        "org/private",
        User(1, "alice"),
    )
    with pytest.raises(KfmError) as caught:
        pull_workspace.fetch_pull(checkout, pull)
    assert TOKEN not in str(caught.value) and "Pr1vate" not in caught.value.message
