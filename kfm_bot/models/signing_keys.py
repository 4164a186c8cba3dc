"""`policies/signing_keys.yaml`: the ed25519 public keys trusted to sign promotion statements.

Each key has a validity window, so keys rotate: a new key is listed with its `valid_from`, the
old one gets a `valid_until`, and statements signed while it was valid keep verifying.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints, model_validator

from kfm_bot.models.common import NonEmpty, Strict, UtcTime

KEY_ID_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,62}$"
# An ed25519 public key is 32 raw bytes: standard base64 of them is 43 characters and one `=`.
ED25519_PUBLIC_PATTERN = r"^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$"

KeyId = Annotated[str, StringConstraints(pattern=KEY_ID_PATTERN)]
Ed25519Public = Annotated[str, StringConstraints(pattern=ED25519_PUBLIC_PATTERN)]


class TrustedKey(Strict):
    """One signing key: trusted for statements whose time is in [valid_from, valid_until)."""

    key_id: KeyId = Field(
        examples=["kfm-promotion-2026"],
        description="The key's id, named in the statements it signs.",
    )
    algorithm: Literal["ed25519"] = Field(description="The signature algorithm; always `ed25519`.")
    public_key: Ed25519Public = Field(
        examples=["11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="],
        description="The ed25519 public key: standard base64 of its 32 bytes.",
    )
    valid_from: UtcTime = Field(
        description="From when statements signed with the key are trusted (UTC)."
    )
    valid_until: UtcTime | None = Field(
        default=None, description="Until when (exclusive); set it when the key is rotated out."
    )
    owner: NonEmpty | None = Field(
        examples=["KFM release team"],
        default=None,
        description="Who holds the private key, for readers.",
    )

    @model_validator(mode="after")
    def _window(self) -> TrustedKey:
        # Same-format UTC strings compare like the times they name (fixed width, `Z`).
        if self.valid_until is not None and self.valid_until <= self.valid_from:
            raise ValueError(f"key {self.key_id}: valid_until must be after valid_from")
        return self


class SigningKeysPolicy(Strict):
    """`require_signature: true` makes a promotion without `KFM_SIGNING_KEY` refuse to land."""

    model_config = ConfigDict(title="Policy: trusted signing keys")

    kfm_policy_signing_keys_version: Literal["v1"] = Field(
        description="The format version of this file; always `v1`."
    )
    require_signature: bool = Field(
        default=False,
        description="True makes a promotion without `KFM_SIGNING_KEY` refuse to land.",
    )
    keys: list[TrustedKey] = Field(
        default_factory=list,
        max_length=100,
        description="The public keys trusted to sign promotion statements.",
    )

    @model_validator(mode="after")
    def _unique(self) -> SigningKeysPolicy:
        ids = [k.key_id for k in self.keys]
        if len(set(ids)) != len(ids):
            raise ValueError("each key_id must be listed once")
        publics = [k.public_key for k in self.keys]
        if len(set(publics)) != len(publics):
            raise ValueError("each public_key must be listed once (one key, one id)")
        return self
