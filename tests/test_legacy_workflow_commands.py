"""A PR-controlled path or message must not forge a workflow command in the Actions log.

The runner reads `::name::data` at the start of a line and the legacy `##[name]data` anywhere
in a line. A contributor can name a file `##[stop-commands]x.yaml`: printed raw, every
annotation after it would be silenced (or `##[add-mask]`, `##[set-output]` forged)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kfm_bot.findings import error
from kfm_bot.report.escape import log_line
from kfm_bot.report.finding_lines import text_line
from tests.cli import kfm_bot
from tests.gitrepo import commit_all, git, init_example_repo

HOSTILE = "registry/sources/##[stop-commands]tok.yaml"


@pytest.mark.parametrize(
    "text",
    ["##[error]forged", "x ##[set-output name=a;]b", "###[add-mask]s", "a\n##[warning]b"],
)
def test_log_line_never_carries_a_legacy_command_prefix(text: str) -> None:
    assert "##[" not in log_line(text)


def test_a_finding_line_neutralises_the_legacy_prefix_in_path_and_message() -> None:
    line = text_line(error("A.yaml-tag", "see ##[add-mask]secret", HOSTILE, 1, 1))
    assert "##[" not in line


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["text", "github"])
def test_check_of_a_pr_adding_a_hostile_file_name_forges_no_command(
    tmp_path: Path, fmt: str
) -> None:
    repo = init_example_repo(tmp_path / "repo")
    git(repo, "checkout", "-q", "-b", "pr")
    (repo / HOSTILE).write_text("a: 1\n")
    commit_all(repo, "hostile file name")
    out = kfm_bot("check", "--base", "main", "--head", "pr", "--format", fmt, cwd=repo)
    assert out.returncode == 1, out.stderr
    assert "stop-commands" in out.stdout  # the finding is there, named
    for line in out.stdout.splitlines():
        # a `::` line is parsed as a (v2) command first, whose data may hold anything
        if not line.startswith("::"):
            assert "##[" not in line, line
