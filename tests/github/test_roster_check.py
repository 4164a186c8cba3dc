"""`kfm-bot roster check` against the emulator, through real PyGithub, as a maintainer runs it
with a read-only token: logins that drifted from their ids are reported at their line."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from kfm_bot.emulator import Emulator
from kfm_bot.emulator.testing import running_emulator
from tests.cli import kfm_bot
from tests.github.world import STEWARDS

ROOT = Path(__file__).resolve().parents[2]
ROSTER = "policies/stewards.yaml"

pytestmark = pytest.mark.slow


@pytest.fixture
def emu(tmp_path: Path) -> Iterator[Emulator]:
    with running_emulator(tmp_path) as started:
        yield started


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A governance repository's policies: the example roster, copied."""
    shutil.copytree(ROOT / "policies", tmp_path / "repo" / "policies")
    return tmp_path / "repo"


def _line_of(repo: Path, login: str) -> int:
    lines = (repo / ROSTER).read_text().splitlines()
    return next(n for n, text in enumerate(lines, 1) if text.strip() == f"- login: {login}")


def _run(emu: Emulator, repo: Path, token: str, *args: str) -> tuple[int, str, str]:
    env = {"PATH": "/usr/bin:/bin", "GITHUB_TOKEN": token, "GITHUB_API_URL": emu.base_url}
    done = kfm_bot("roster", "check", "--repo", repo, *args, env=env)
    return done.returncode, done.stdout, done.stderr


def _reader(emu: Emulator) -> str:
    emu.add_user("reader")
    return emu.add_token("reader", read_only=True)


def test_a_roster_matching_github_passes(emu: Emulator, repo: Path) -> None:
    for login, user_id in STEWARDS.items():
        emu.add_user(login, user_id)
    code, out, err = _run(emu, repo, _reader(emu))
    assert (code, err) == (0, "")
    assert "5 steward(s): every login names the id the roster gives" in out


def test_renamed_and_reused_logins_fail_at_their_lines(emu: Emulator, repo: Path) -> None:
    for login, user_id in STEWARDS.items():
        if login == "june-harjo":
            continue  # renamed away: no account has the login any more
        emu.add_user(login, 9_000_001 if login == "tomas-reyes" else user_id)  # reused
    token = _reader(emu)
    code, out, err = _run(emu, repo, token)
    assert code == 1, err
    reused, gone = _line_of(repo, "tomas-reyes"), _line_of(repo, "june-harjo")
    assert f"{ROSTER}:{reused}:12: error[roster.id-mismatch] steward `tomas-reyes`" in out
    assert "listed with id 4410022, but GitHub's `tomas-reyes` is account 9000001" in out
    assert f"{ROSTER}:{gone}:12: error[roster.login-not-found] steward `june-harjo`" in out
    assert "2 of 5 steward(s) need a fix" in out
    assert token not in out + err
    code, out, err = _run(emu, repo, token, "--format", "json")
    report = json.loads(out)
    assert (code, report["checked"]) == (1, 5)
    assert [(f["rule"], f["line"]) for f in report["findings"]] == sorted(
        [("roster.id-mismatch", reused), ("roster.login-not-found", gone)], key=lambda r: r[1]
    )


def test_github_refusing_the_token_is_a_service_error_without_the_token(
    emu: Emulator, repo: Path
) -> None:
    token = _reader(emu)
    emu.faults.add("GET", "/users/*", status=401, times=100)
    code, out, err = _run(emu, repo, token)
    assert code == 3
    assert err.startswith("kfm-bot: error: GitHub refused GET /users/mara-osei with status 401")
    assert token not in out + err
    emu.faults.clear()


def test_without_a_token_or_a_roster_it_is_a_usage_error(emu: Emulator, tmp_path: Path) -> None:
    code, _, err = _run(emu, ROOT, "")
    assert code == 2 and "set GITHUB_TOKEN" in err
    broken = tmp_path / "broken"
    (broken / "policies").mkdir(parents=True)
    (broken / ROSTER).write_text("kfm_policy_stewards_version: v1\nstewards:\n  - login: x\n")
    code, _, err = _run(emu, broken, _reader(emu))
    assert code == 2 and f"{ROSTER}:3" in err and "Traceback" not in err
