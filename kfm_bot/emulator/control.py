"""The Emulator: lifecycle, the request log, and the human side of GitHub that tests drive."""

from __future__ import annotations

import secrets
from pathlib import Path
from types import TracebackType

from kfm_bot.emulator.control_pulls import People
from kfm_bot.emulator.control_queue import Queue, QueueMerge
from kfm_bot.emulator.control_reviews import Talk
from kfm_bot.emulator.core import Core
from kfm_bot.emulator.faults import Faults
from kfm_bot.emulator.openapi import Violation, shared_validator
from kfm_bot.emulator.pipeline import Pipeline, ResponseHook
from kfm_bot.emulator.responses import RequestRecord
from kfm_bot.emulator.server import HttpServer
from kfm_bot.emulator.state import App, Installation, State, Team, User


class Emulator(People, Talk, Queue, QueueMerge):
    """A local GitHub REST API over real bare git repositories under `root`."""

    def __init__(self, root: Path, state_file: Path | None = None) -> None:
        root.mkdir(parents=True, exist_ok=True)
        self.state_file = state_file
        loaded = State.load(state_file) if state_file and state_file.exists() else None
        self.core = Core(root, loaded)
        self.faults = Faults()
        self.pipeline = Pipeline(self.core, self.faults, shared_validator())
        self._server: HttpServer | None = None

    # lifecycle ---------------------------------------------------------------------------
    def start(self, port: int = 0) -> str:
        """Serve on 127.0.0.1 (port 0: any free port) and return the base URL for PyGithub."""
        self._server = HttpServer(self.pipeline, port)
        self._server.start()
        self.core.base_url = f"http://127.0.0.1:{self._server.port}"
        return self.core.base_url

    def stop(self) -> None:
        """Stop serving; save the state first when a state file was given."""
        if self.state_file is not None:
            self.save_state(self.state_file)
        if self._server is not None:
            self._server.stop()
            self._server = None

    def __enter__(self) -> Emulator:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        return self.core.base_url

    # what tests read ---------------------------------------------------------------------
    @property
    def violations(self) -> list[Violation]:
        return self.pipeline.violations

    @property
    def requests(self) -> list[RequestRecord]:
        return self.pipeline.requests

    @property
    def response_hook(self) -> ResponseHook | None:
        return self.pipeline.response_hook

    @response_hook.setter
    def response_hook(self, hook: ResponseHook | None) -> None:
        """Test hook `(method, path_pattern, body) -> body` applied before validation."""
        self.pipeline.response_hook = hook

    def request_count(self, method: str | None = None, path_prefix: str | None = None) -> int:
        return sum(
            1
            for r in list(self.requests)
            if (method is None or r.method == method.upper())
            and (path_prefix is None or r.path.startswith(path_prefix))
        )

    def write_count(self) -> int:
        """Requests that can change something: every POST, PATCH, PUT and DELETE but a GraphQL
        query (`POST /graphql` only reads: the emulator's subset has no mutations)."""
        return sum(
            1
            for r in list(self.requests)
            if r.method in ("POST", "PATCH", "PUT", "DELETE") and r.path != "/graphql"
        )

    def save_state(self, path: Path | None = None) -> None:
        target = path or self.state_file
        if target is None:
            raise ValueError("no state file given")
        with self.core.lock:
            self.core.state.save(target)

    # users, teams, repositories ----------------------------------------------------------
    def add_user(self, login: str, user_id: int | None = None, type: str = "User") -> str:
        """Create an account and return a token that authenticates as it."""
        with self.core.lock:
            if self.core.find_user(login) is None:
                self.core.state.users.append(User(login, user_id or self.core.state.new_id(), type))
            return self.add_token(login)

    def add_token(self, login: str, read_only: bool = False) -> str:
        """Another token for `login`; read_only makes it like a fork PR's GITHUB_TOKEN."""
        token = "ghs_emu" + secrets.token_hex(16)
        with self.core.lock:
            self.core.user(login)
            self.core.state.tokens[token] = login
            if read_only:
                self.core.state.read_only_tokens.append(token)
        return token

    def add_app(self, slug: str, owner: str, private_key: str | None = None) -> tuple[int, str]:
        """Register a GitHub App (and its bot account `<slug>[bot]`); returns its id and the
        PEM private key its JWTs are signed with (a fresh RSA key unless one is given)."""
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        if private_key is None:
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            private_key = key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            ).decode("ascii")
        loaded = serialization.load_pem_private_key(private_key.encode("ascii"), password=None)
        public = loaded.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        with self.core.lock:
            state = self.core.state
            app = App(state.new_id(), slug, owner, public.decode("ascii"))
            state.apps.append(app)
            if self.core.find_user(f"{slug}[bot]") is None:
                state.users.append(User(f"{slug}[bot]", state.new_id(), "Bot"))
        return app.id, private_key

    def install_app(self, app_id: int, account: str) -> int:
        """Install the App on `account` (all its repositories); returns the installation id."""
        with self.core.lock:
            installation = Installation(self.core.state.new_id(), app_id, account)
            self.core.state.installations.append(installation)
        return installation.id

    def add_team(self, org: str, slug: str, members: list[str]) -> None:
        with self.core.lock:
            state = self.core.state
            state.teams = [t for t in state.teams if (t.org, t.slug) != (org, slug)]
            state.teams.append(Team(org, slug, state.new_id(), list(members)))

    def git_url(self, owner: str, repo: str) -> str:
        """Where `git clone` and `git push` reach the repository (a local path)."""
        return str(self.core.git_path(f"{owner}/{repo}").resolve())

    def create_repo(
        self, owner: str, name: str, default_branch: str = "main", source_dir: Path | None = None
    ) -> str:
        """A repository whose first commit holds `source_dir`'s files; returns its git URL."""
        return self.make_repo(owner, name, default_branch, source_dir, None)

    def fork_repo(self, owner: str, name: str, fork_owner: str) -> str:
        """A fork of owner/name under fork_owner (all branches copied); returns its git URL."""
        return self.make_repo(fork_owner, name, None, None, f"{owner}/{name}")

    def add_collaborator(
        self, owner: str, repo: str, login: str, permission: str = "write"
    ) -> None:
        with self.core.lock:
            self.core.user(login)
            self.core.repo(owner, repo).collaborators[login] = permission
