"""The one hook promotion calls: the statement file of a promotion, signed when a key is set.

An Attestor is made once per run from the environment's key and the trusted keys at the
branch tip, so a misconfiguration (an unreadable key, a key the policy does not list, a policy
that requires signing but no key) stops the run before anything is written.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kfm_bot.attest.dsse import seal
from kfm_bot.attest.keys import (
    SIGNING_KEY_ENV,
    SIGNING_KEYS_POLICY,
    SigningKey,
    in_window,
    signing_key_from_env,
    window_text,
)
from kfm_bot.attest.statement import build_statement, statement_path
from kfm_bot.attest.trust import trust_of
from kfm_bot.errors import GateFailure
from kfm_bot.models.signing_keys import SigningKeysPolicy, TrustedKey
from kfm_bot.repo.snapshot import Snapshot


@dataclass(frozen=True)
class Attestor:
    key: SigningKey | None
    listed: TrustedKey | None  # the policy's entry for `key`

    @classmethod
    def for_run(cls, tip: Snapshot, env: Mapping[str, str]) -> Attestor:
        policy: SigningKeysPolicy = trust_of(tip)
        key = signing_key_from_env(env)
        if key is None:
            if policy.require_signature:
                raise GateFailure(
                    f"{SIGNING_KEYS_POLICY} requires signed promotion statements but "
                    f"${SIGNING_KEY_ENV} is not set: nothing was promoted"
                )
            return cls(None, None)
        listed = next((k for k in policy.keys if k.public_key == key.public_b64), None)
        if listed is None:
            raise GateFailure(
                f"${SIGNING_KEY_ENV} holds a key that {SIGNING_KEYS_POLICY} does not list "
                f"(public key {key.public_b64}); list it there first: nothing was promoted"
            )
        return cls(key, listed)

    def statement_file(
        self, manifest_path: str, manifest: bytes, decision: bytes, line: bytes, seq: int
    ) -> tuple[str, bytes]:
        decided: dict[str, Any] = json.loads(decision)
        statement = build_statement(manifest_path, manifest, decided, line, seq)
        signer = None
        if self.key is not None and self.listed is not None:
            when = statement["predicate"]["released_at"]
            if not in_window(self.listed, when):
                raise GateFailure(
                    f"signing key {self.listed.key_id} is {window_text(self.listed)}, not at "
                    f"{when} (the promotion's released_at): nothing was promoted"
                )
            signer = self.key.signer(self.listed.key_id)
        return statement_path(manifest_path), seal(statement, signer)

    def summary(self, manifest_path: str) -> str:
        path = statement_path(manifest_path)
        if self.listed is None:
            return (
                f"UNSIGNED promotion statement {path}: ${SIGNING_KEY_ENV} is not set, so nobody "
                "can check offline who made this record"
            )
        return f"signed promotion statement {path} with key {self.listed.key_id}"
