"""What makes the test run safe and repeatable on any machine (applied by tests/conftest.py).

A test must not reach the internet, must not find a real token in its environment, and must
not let the developer's own home directory or git configuration change what it sees: a
`~/.netrc` would give requests credentials, a `~/.gitconfig` could sign commits or rename
the default branch, and a token left in the shell would turn a test into a real API call.
Subprocesses inherit the scrubbed environment; only the socket guard is in-process alone."""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

# Names whose values are credentials, point at a real service, or redirect git (a test run
# from a git hook inherits GIT_DIR and GIT_INDEX_FILE, which would aim every `git` at the
# project's own repository). A test that needs one sets it itself, with monkeypatch or an
# explicit `env=`.
SCRUBBED_PREFIXES = (
    "GITHUB_",
    "GH_",
    "KFM_",
    "AWS_",
    "AZURE_",
    "GOOGLE_",
    "ACTIONS_",
    "GIT_",
    "SSH_",
)
SCRUBBED_SUFFIXES = ("_TOKEN", "_SECRET", "_PASSWORD", "_PRIVATE_KEY", "_API_KEY")
SCRUBBED_NAMES = frozenset(
    {"NETRC", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "REQUESTS_CA_BUNDLE"}
)

GIT_USER = ("kfm-bot tests", "tests@example.invalid")
GITCONFIG = f"""\
[user]
\tname = {GIT_USER[0]}
\temail = {GIT_USER[1]}
[init]
\tdefaultBranch = main
[commit]
\tgpgsign = false
[tag]
\tgpgsign = false
[core]
\tautocrlf = false
"""

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


class NetworkGuardError(RuntimeError):
    """A test tried to leave the machine. Not an OSError, so no retry loop swallows it."""


def scrubbed(name: str) -> bool:
    upper = name.upper()
    return (
        upper.startswith(SCRUBBED_PREFIXES)
        or upper.endswith(SCRUBBED_SUFFIXES)
        or upper in SCRUBBED_NAMES
    )


def leaked(environ: Mapping[str, str]) -> list[str]:
    """The names in `environ` a test run must not inherit, sorted."""
    return sorted(name for name in environ if scrubbed(name))


def isolated_environment(environ: Mapping[str, str], home: Path) -> dict[str, str]:
    """`environ` without the scrubbed names, with `home` as HOME and its own git config.

    The config is written to `home/.gitconfig` and named by GIT_CONFIG_GLOBAL too, so a
    subprocess that drops every GIT_ variable (the demo does) still reads the same file."""
    home.mkdir(parents=True, exist_ok=True)
    gitconfig = home / ".gitconfig"
    gitconfig.write_text(GITCONFIG)
    clean = {k: v for k, v in environ.items() if not scrubbed(k)}
    return {
        **clean,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        **own_git_variables(gitconfig),
    }


def own_git_variables(gitconfig: Path) -> dict[str, str]:
    """The only GIT_ variables a test starts with: ours, naming `gitconfig` and nothing else."""
    return {
        "GIT_CONFIG_GLOBAL": str(gitconfig),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_SYSTEM": os.devnull,
        "GIT_TERMINAL_PROMPT": "0",  # a missing credential fails at once instead of hanging
    }


def is_loopback(host: str | bytes | None) -> bool:
    """True for a name or address on this machine alone (None: a passive lookup for bind)."""
    if host is None:
        return True
    text = host.decode("ascii", "replace") if isinstance(host, bytes) else host
    if text.lower().rstrip(".") in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(text.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def refuse(host: object) -> NetworkGuardError:
    return NetworkGuardError(
        f"tests may only reach loopback addresses; {host!r} refused (tests/guards.py). "
        "Use the GitHub emulator on 127.0.0.1 instead."
    )


def guarded_connect(real: Callable[..., Any]) -> Callable[..., Any]:
    """`socket.connect`/`connect_ex` that refuses any internet address (unix sockets pass)."""

    def connect(self: socket.socket, address: Any, *rest: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6) and not is_loopback(address[0]):
            raise refuse(address)
        return real(self, address, *rest)

    return connect


def guarded_getaddrinfo(real: Callable[..., Any]) -> Callable[..., Any]:
    """`socket.getaddrinfo` that refuses to resolve any other host: no DNS query leaves."""

    def getaddrinfo(host: str | bytes | None, *args: Any, **kwargs: Any) -> Any:
        if not is_loopback(host):
            raise refuse(host)
        return real(host, *args, **kwargs)

    return getaddrinfo


def socket_patches() -> Iterable[tuple[object, str, Callable[..., Any]]]:
    """(owner, attribute, replacement) for every entry point the guard covers."""
    yield socket.socket, "connect", guarded_connect(socket.socket.connect)
    yield socket.socket, "connect_ex", guarded_connect(socket.socket.connect_ex)
    yield socket, "getaddrinfo", guarded_getaddrinfo(socket.getaddrinfo)
