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


@pytest.mark.slow
def test_an_error_quoting_a_hostile_yaml_key_forges_no_command(tmp_path: Path) -> None:
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies/stewards.yaml").write_text(
        "kfm_policy_stewards_version: v1\n"
        "stewards:\n  - login: ada\n    id: 1\n    roles: [data]\n"
        '    "##[add-mask]x\\n::error::forged": 1\n'
    )
    out = kfm_bot("roster", "check", "--token", "t", "--api-url", "http://127.0.0.1:9",
                  cwd=tmp_path)  # fmt: skip
    assert out.returncode == 2 and "Extra inputs are not permitted" in out.stderr, out.stderr
    assert len(out.stderr.splitlines()) == 1, out.stderr
    assert "##[" not in out.stderr and "\n::" not in out.stderr


def test_policy_test_lines_quoting_a_fixture_name_forge_no_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    from kfm_bot.cli import main
    from tests.gitrepo import PROJECT

    shutil.copytree(PROJECT / "policies", tmp_path / "policies")
    fixture = tmp_path / "policies/tests/https-access-fail.yaml"
    text = fixture.read_text().replace(
        "name: plain http access url fires", 'name: "x ##[add-mask]y\\n::error::forged"'
    )
    fixture.write_text(text.replace("expect:\n- F.rule.https-access", "expect: []"))
    with pytest.raises(SystemExit) as exited:
        main(["policy", "test", "--repo", str(tmp_path)])
    out = capsys.readouterr()
    assert exited.value.code == 1 and "FAIL  policies/tests/https-access-fail.yaml" in out.out
    for line in (out.out + out.err).splitlines():
        assert "##[" not in line and not line.startswith("::"), line
