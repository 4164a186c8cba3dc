"""`kfm-bot verify` of promotion statements: alone, beside their manifest, or inside a pack.

Offline: the trusted keys come from `--key FILE` or from `policies/signing_keys.yaml` of the
repository at `--ref` (the default branch's view, never the statement's own claim).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kfm_bot.errors import UsageError

if TYPE_CHECKING:
    from kfm_bot.attest.dsse import Opened, Verdict
    from kfm_bot.models.signing_keys import SigningKeysPolicy


@dataclass(frozen=True)
class StatementCheck:
    path: str
    verdict: Verdict | None  # None: no trusted keys were given, the signature is not checked

    def line(self) -> str:
        if self.verdict is None:
            return (
                f"statement {self.path}: signature not checked (pass --key FILE or --repo DIR "
                "for the trusted keys)"
            )
        if self.verdict.status == "unsigned":
            return f"statement {self.path}: unsigned (its digests match, but no key vouches for it)"
        return (
            f"statement {self.path}: signed by key {self.verdict.key_id}, valid at its "
            f"released_at {self.verdict.released_at}"
        )


def trusted_keys(
    key_file: Path | None, repo_dir: Path | None, ref: str
) -> SigningKeysPolicy | None:
    from kfm_bot.attest.trust import trust_file, trust_of

    if key_file is not None:
        return trust_file(key_file)
    if repo_dir is None:
        return None
    from kfm_bot.git import read
    from kfm_bot.git.gitdir import GitDir
    from kfm_bot.repo.snapshot import CommitSnapshot

    repo = GitDir(repo_dir)
    return trust_of(CommitSnapshot(repo, read.resolve(repo, ref)))


def judge(opened: Opened, path: str, policy: SigningKeysPolicy | None) -> StatementCheck:
    """The signature's verdict; StatementError when invalid, or unsigned where the policy
    requires a signature."""
    from kfm_bot.attest.dsse import check_signature
    from kfm_bot.attest.keys import SIGNING_KEYS_POLICY
    from kfm_bot.attest.statement import StatementError

    if policy is None:
        return StatementCheck(path, None)
    verdict = check_signature(opened, policy.keys, path)
    if verdict.status == "unsigned" and policy.require_signature:
        raise StatementError(
            f"{path}: unsigned, but {SIGNING_KEYS_POLICY} requires signed promotion statements"
        )
    return StatementCheck(path, verdict)


def check_pack_statement(
    files: Mapping[str, bytes], policy: SigningKeysPolicy | None
) -> StatementCheck | None:
    """The pack's statement judged (its digests were checked with the pack); None without one."""
    from kfm_bot.attest.dsse import open_envelope
    from kfm_bot.export.verify import statement_of

    path = statement_of(files)
    if path is None:
        return None
    return judge(open_envelope(files[path], path), path, policy)


def verify_statement_file(
    path: Path, key_file: Path | None, repo_dir: Path | None, ref: str
) -> StatementCheck:
    """A statement file (or the promotion folder or manifest beside it): its envelope, its
    subjects against the manifest beside it, and its signature against the trusted keys."""
    from kfm_bot.attest.dsse import open_envelope
    from kfm_bot.attest.statement import STATEMENT_FILE, StatementError, check_against_manifest
    from kfm_bot.ledger.records import MANIFEST

    folder = path if path.is_dir() else path.parent
    statement = folder / STATEMENT_FILE
    manifest = folder / MANIFEST
    if not statement.is_file():
        raise StatementError(f"{statement} is missing: this promotion has no statement")
    policy = trusted_keys(key_file, repo_dir, ref)
    if policy is None:
        raise UsageError(
            "a statement is checked against trusted keys: pass --key FILE or --repo DIR"
        )
    opened = open_envelope(_read(statement), str(statement))
    try:
        if manifest.is_file():
            name = _manifest_name(opened, manifest, repo_dir)
            check_against_manifest(opened.statement, name, _read(manifest))
        if repo_dir is not None:
            _check_ledger_line(opened, repo_dir, ref)
    except StatementError as exc:
        raise StatementError(f"{statement}: {exc.message}") from None
    return judge(opened, str(statement), policy)


def _manifest_name(opened: Opened, manifest: Path, repo_dir: Path | None) -> str:
    """The manifest's path in the repository: from its place under --repo when it is there,
    else the name the statement gives (its digest is what binds it to these bytes)."""
    if repo_dir is not None:
        try:
            return manifest.resolve().relative_to(repo_dir.resolve()).as_posix()
        except ValueError:
            pass
    first = opened.statement["subject"][0]
    name = first.get("name") if isinstance(first, dict) else None
    return name if isinstance(name, str) else ""


def _check_ledger_line(opened: Opened, repo_dir: Path, ref: str) -> None:
    """The ledger line the statement names is the repository's line at that position."""
    from kfm_bot.attest.statement import StatementError
    from kfm_bot.canonical import sha256_digest
    from kfm_bot.git import read
    from kfm_bot.git.gitdir import GitDir
    from kfm_bot.ledger.segments import read_ledger
    from kfm_bot.repo.layout import LEDGER_PATH
    from kfm_bot.repo.snapshot import CommitSnapshot

    ledger = opened.statement["predicate"]["ledger"]
    seq = ledger["seq"]
    repo = GitDir(repo_dir)
    # seq counts the whole ledger: sealed segments first (the line may have been sealed since)
    lines = read_ledger(CommitSnapshot(repo, read.resolve(repo, ref))).lines
    if not 1 <= seq <= len(lines):
        raise StatementError(f"it names ledger line {seq}, but {LEDGER_PATH} at {ref} has none")
    if sha256_digest(lines[seq - 1]) != ledger.get("line_hash"):
        raise StatementError(
            f"its ledger line hash differs from line {seq} of {LEDGER_PATH} at {ref}"
        )


def _read(path: Path) -> bytes:
    from kfm_bot.attest.dsse import MAX_ENVELOPE_BYTES

    try:
        with path.open("rb") as handle:
            return handle.read(MAX_ENVELOPE_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
