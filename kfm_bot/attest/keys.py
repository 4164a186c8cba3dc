"""The signing key from the environment and the trusted public keys from `policies/`.

`KFM_SIGNING_KEY` holds an ed25519 private key, either as PEM (PKCS#8, `-----BEGIN PRIVATE
KEY-----`, what `openssl genpkey -algorithm ed25519` writes) or as the standard base64 of its
32-byte seed. Its value never appears in output, logs or exceptions: every error here names the
variable, never its content. Key material is parsed by `cryptography`; signatures are made and
checked by `securesystemslib` (its `CryptoSigner` and `SSlibKey`).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kfm_bot.errors import UsageError
from kfm_bot.models.signing_keys import SigningKeysPolicy, TrustedKey

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from securesystemslib.signer._crypto_signer import CryptoSigner
    from securesystemslib.signer._key import SSlibKey

SIGNING_KEY_ENV = "KFM_SIGNING_KEY"
SIGNING_KEYS_POLICY = "policies/signing_keys.yaml"


@dataclass(frozen=True)
class SigningKey:
    """A private key ready to sign, and its public half as base64 (to find it in the policy)."""

    private: Ed25519PrivateKey
    public_b64: str

    def __repr__(self) -> str:  # never show key material, even in a traceback's locals
        return f"SigningKey(public={self.public_b64})"

    def signer(self, key_id: str) -> CryptoSigner:
        """A signer naming the policy's key id in the signatures it makes (DSSE `keyid`)."""
        from securesystemslib.signer import CryptoSigner  # type: ignore[attr-defined]

        return CryptoSigner(self.private, public_key(key_id, self.public_b64))


def signing_key_from_env(env: Mapping[str, str]) -> SigningKey | None:
    """The key in KFM_SIGNING_KEY, None when unset or empty; UsageError when unreadable."""
    raw = env.get(SIGNING_KEY_ENV, "").strip()
    if not raw:
        return None
    return parse_private_key(raw)


def parse_private_key(raw: str) -> SigningKey:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    problem = f"${SIGNING_KEY_ENV} is not an ed25519 private key (PEM or base64 of its seed)"
    key: object
    try:
        if raw.startswith("-----BEGIN"):
            key = load_pem_private_key(raw.encode("ascii"), password=None)
        else:
            seed = base64.b64decode(raw, validate=True)
            if len(seed) != 32:
                raise ValueError("not 32 bytes")
            key = Ed25519PrivateKey.from_private_bytes(seed)
    except (ValueError, TypeError, binascii.Error, UnicodeEncodeError):
        raise UsageError(problem) from None  # `from None`: the parser's message may quote it
    if not isinstance(key, Ed25519PrivateKey):
        raise UsageError(problem)
    return _signing_key(key)


def _signing_key(key: Ed25519PrivateKey) -> SigningKey:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return SigningKey(key, base64.b64encode(raw).decode("ascii"))


def public_key(key_id: str, public_b64: str) -> SSlibKey:
    """A trusted key as securesystemslib verifies with it; keyid is the policy's key_id."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from securesystemslib.signer import SSlibKey  # type: ignore[attr-defined]

    raw = base64.b64decode(public_b64, validate=True)
    return SSlibKey.from_crypto(Ed25519PublicKey.from_public_bytes(raw), keyid=key_id)


def trusted(key: TrustedKey) -> SSlibKey:
    return public_key(key.key_id, key.public_key)


def generate() -> tuple[str, str]:
    """A fresh key as (KFM_SIGNING_KEY value: base64 seed, public key base64), for the demo and
    for a maintainer's first key (`cryptography` makes it from the OS's random source)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    private = Ed25519PrivateKey.generate()
    seed = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return base64.b64encode(seed).decode("ascii"), _signing_key(private).public_b64


def listed_key(policy: SigningKeysPolicy, key: SigningKey) -> TrustedKey | None:
    return next((k for k in policy.keys if k.public_key == key.public_b64), None)


def in_window(key: TrustedKey, when: str) -> bool:
    """`when` and the window bounds are UTC RFC 3339 strings of one format (`...Z`)."""
    return key.valid_from <= when and (key.valid_until is None or when < key.valid_until)


def window_text(key: TrustedKey) -> str:
    return f"valid from {key.valid_from} until {key.valid_until or 'further notice'}"
