"""The guards of tests/conftest.py hold: loopback only, no inherited secrets, our own git config."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.guards import GIT_USER, NetworkGuardError, is_loopback, leaked, own_git_variables

TEST_NET = "192.0.2.1"  # RFC 5737 documentation address: never routed, even if the guard fails


@pytest.mark.parametrize(
    ("host", "local"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("localhost", True),
        (b"localhost", True),
        (None, True),
        (TEST_NET, False),
        ("example.org", False),
        ("::ffff:8.8.8.8", False),
        ("", False),
    ],
)
def test_what_counts_as_loopback(host: str | bytes | None, local: bool) -> None:
    assert is_loopback(host) is local


def test_connecting_outside_the_machine_is_refused_with_a_reason() -> None:
    with pytest.raises(NetworkGuardError, match=r"loopback.*192\.0\.2\.1"):
        socket.create_connection((TEST_NET, 443), timeout=1)
    with socket.socket() as sock, pytest.raises(NetworkGuardError):
        sock.connect_ex((TEST_NET, 80))


def test_no_name_outside_the_machine_is_looked_up() -> None:
    with pytest.raises(NetworkGuardError, match=r"example\.org"):
        socket.getaddrinfo("example.org", 443)


def test_loopback_still_works() -> None:
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        with socket.create_connection(("localhost", port), timeout=5):
            conn, _ = server.accept()
            conn.close()


def test_this_session_is_isolated() -> None:
    """Run here and again below in a session started with a poisoned environment."""
    home = Path.home()
    assert home.name.startswith("home") and (home / ".gitconfig").is_file()
    ours = own_git_variables(home / ".gitconfig")
    assert leaked(os.environ) == sorted(ours)
    assert {name: os.environ[name] for name in ours} == ours
    done = subprocess.run(
        ["git", "config", "--global", "--get-regexp", "^(user|init)\\."],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.split("\n")[:3] == [
        f"user.name {GIT_USER[0]}",
        f"user.email {GIT_USER[1]}",
        "init.defaultbranch main",
    ]


def test_a_poisoned_environment_does_not_reach_the_tests(tmp_path: Path) -> None:
    """Credentials, a hostile ~/.gitconfig and a GIT_DIR set outside pytest change nothing."""
    poisoned = tmp_path / "poisoned-home"
    poisoned.mkdir()
    (poisoned / ".gitconfig").write_text("[user]\n\tname = Intruder\n[init]\n\tdefaultBranch = x\n")
    env = {
        **os.environ,
        "HOME": str(poisoned),
        "GITHUB_TOKEN": "ghp_" + "x" * 36,
        "GH_TOKEN": "gho_" + "x" * 36,
        "KFM_APP_PRIVATE_KEY": "-----BEGIN RSA PRIVATE KEY-----",
        "AWS_SECRET_ACCESS_KEY": "secret",
        "PYPI_API_TOKEN": "pypi-x",
        "HTTPS_PROXY": "http://192.0.2.1:3128",
        "GIT_DIR": str(tmp_path / "not-a-repo"),
    }
    env.pop("GIT_CONFIG_GLOBAL")
    here = f"{Path(__file__).relative_to(Path.cwd())}::test_this_session_is_isolated"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:randomly",
            f"--basetemp={tmp_path / 'inner'}",
            here,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout
