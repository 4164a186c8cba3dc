"""Which keys are trusted: `policies/signing_keys.yaml` of a snapshot (the default branch), or a
file in the same format given to `kfm-bot verify --key`."""

from __future__ import annotations

from pathlib import Path

from kfm_bot.attest.keys import SIGNING_KEYS_POLICY
from kfm_bot.errors import UsageError
from kfm_bot.findings import Finding
from kfm_bot.models.signing_keys import SigningKeysPolicy
from kfm_bot.repo.documents import DocumentStore
from kfm_bot.repo.snapshot import Snapshot

NO_KEYS = SigningKeysPolicy(kfm_policy_signing_keys_version="v1")


def _located(f: Finding) -> str:
    where = f.path or SIGNING_KEYS_POLICY
    if f.line is not None:
        where += f":{f.line}"
    return f"{where}: {f.message}"


def trust_of(snapshot: Snapshot) -> SigningKeysPolicy:
    """The snapshot's signing-keys policy; no keys (and no requirement) when the file is absent;
    UsageError with the first located problem when it is present but invalid (fail closed)."""
    docs = DocumentStore(snapshot)
    loaded = docs.load(SIGNING_KEYS_POLICY)
    if loaded is None:
        return NO_KEYS
    policy = docs.model(SIGNING_KEYS_POLICY, SigningKeysPolicy)
    if policy is None:
        problems = [*loaded.findings, *docs.schema_findings.get(SIGNING_KEYS_POLICY, [])]
        detail = _located(problems[0]) if problems else f"{SIGNING_KEYS_POLICY} is not valid"
        raise UsageError(f"the trusted signing keys cannot be read: {detail}")
    return policy


def trust_file(path: Path) -> SigningKeysPolicy:
    """A keys file in the policy's format (for `verify --key`, away from any repository)."""
    from pydantic import ValidationError

    from kfm_bot.yaml.strict import MAX_BYTES, load_strict

    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    loaded = load_strict(raw, str(path))
    if loaded.data is None:
        first = loaded.findings[0] if loaded.findings else None
        raise UsageError(_located(first) if first else f"{path} is not a keys file")
    try:
        return SigningKeysPolicy.model_validate(loaded.data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "(root)"
        raise UsageError(f"{path}: {where}: {err['msg']}") from None
