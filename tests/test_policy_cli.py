"""`kfm-bot policy test`: pass/fail lines and exit codes 0, 1 and 2."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kfm_bot.cli import main
from tests.gitrepo import PROJECT


def _invoke(repo: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(["policy", "test", "--repo", str(repo)])
    out = capsys.readouterr()
    return int(exited.value.code or 0), out.out, out.err


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    shutil.copytree(PROJECT / "policies", tmp_path / "policies")
    return tmp_path


def test_the_example_policies_pass(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _invoke(repo, capsys)
    assert code == 0
    assert out.count("PASS  ") == len(list((repo / "policies/tests").glob("*.yaml")))
    assert "0 failed" in out


def test_a_failing_fixture_exits_1(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fixture = repo / "policies/tests/https-access-fail.yaml"
    fixture.write_text(fixture.read_text().replace("expect:\n- F.rule.https-access", "expect: []"))
    code, out, _ = _invoke(repo, capsys)
    assert code == 1
    assert "FAIL  policies/tests/https-access-fail.yaml" in out
    assert "F.rule.https-access fired but was not expected" in out


def test_an_unreadable_rule_exits_2(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rule = repo / "policies/rules/https-access.yaml"
    rule.write_text(rule.read_text().replace("startsWith('https://')", "startsWith('https://'"))
    code, _, err = _invoke(repo, capsys)
    assert code == 2
    assert "policies/rules/https-access.yaml:" in err and "not valid CEL" in err
    assert "Traceback" not in err


def test_no_policies_directory_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _invoke(tmp_path, capsys)
    assert code == 2 and "pass --repo DIR" in err
