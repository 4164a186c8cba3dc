"""Progress for long work: a person at a terminal sees it; a pipe, a redirect or CI never does."""

from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import time
from pathlib import Path

import pytest

from kfm_bot.progress import Progress
from tests.cli import KFM_BOT, measured
from tests.gitrepo import init_example_repo


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_line_is_redrawn_in_place_and_erased_at_the_end() -> None:
    tty = _Tty()
    meter = Progress("checking", 2, tty)
    meter.show("gate A (identity)")
    meter.advance("gate A (identity)")
    meter.advance("gate B (licensing)")
    out = tty.getvalue()
    assert out.startswith("\rchecking: 0/2, gate A (identity)\x1b[K")
    assert "\rchecking: 2/2, gate B (licensing)\x1b[K" in out and out.endswith("\r\x1b[K")
    assert "\n" not in out  # nothing left on the screen between the command and its report


def test_nothing_off_a_terminal_or_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    pipe = io.StringIO()
    Progress("checking", 1, pipe).advance()
    assert pipe.getvalue() == ""
    monkeypatch.setattr("sys.stderr", _Tty())
    monkeypatch.setenv("CI", "true")  # a CI runner that hands out a pseudo-terminal
    assert not Progress("checking", 1).enabled
    monkeypatch.setenv("CI", "false")
    assert Progress("checking", 1).enabled


def _check_all(repo: Path, env: dict[str, str], on_pty: bool) -> tuple[int, str, str]:
    """`kfm-bot check --all` with stderr on a pseudo-terminal (or a pipe); stdout piped."""
    master, slave = pty.openpty() if on_pty else (-1, -1)
    proc = subprocess.Popen(
        [*KFM_BOT, "check", "--all"],
        cwd=repo,
        env=measured(env),
        stdout=subprocess.PIPE,
        stderr=slave if on_pty else subprocess.PIPE,
    )
    err = b""
    if on_pty:
        os.close(slave)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:  # bounded: read until the child closes the pty
            ready, _, _ = select.select([master], [], [], 1.0)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: the child has exited and closed its end
                break
            if not chunk:
                break
            err += chunk
        os.close(master)
    out, piped_err = proc.communicate(timeout=120)
    return proc.returncode, out.decode(), (err or piped_err or b"").decode()


@pytest.mark.slow
def test_check_all_shows_progress_only_on_a_terminal(tmp_path: Path) -> None:
    repo = init_example_repo(tmp_path / "repo")
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    code, out, err = _check_all(repo, env, on_pty=True)
    assert code == 0, out + err
    assert "checking: 1/8, read" in err and "checking: 8/8, gate G" in err, repr(err)
    assert "checking:" not in out and "conclusion: success" in out  # the report stays clean
    code, out_piped, err_piped = _check_all(repo, env, on_pty=False)
    assert code == 0 and err_piped == "" and out_piped == out
    code, _, err_ci = _check_all(repo, {**env, "CI": "true"}, on_pty=True)
    assert code == 0 and "checking:" not in err_ci
