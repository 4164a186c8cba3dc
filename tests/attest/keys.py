"""Test keys: fresh ed25519 keys as KFM_SIGNING_KEY values, and policy entries for them."""

from __future__ import annotations

import base64
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)


def new_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def seed_b64(key: Ed25519PrivateKey) -> str:
    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return base64.b64encode(raw).decode()


def pem(key: Ed25519PrivateKey) -> str:
    return key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()).decode()


def public_b64(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def entry(
    key_id: str, key: Ed25519PrivateKey, valid_from: str, valid_until: str | None = None
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "key_id": key_id,
        "algorithm": "ed25519",
        "public_key": public_b64(key),
        "valid_from": valid_from,
    }
    if valid_until is not None:
        out["valid_until"] = valid_until
    return out


def policy_yaml(*entries: dict[str, Any], require: bool = False) -> str:
    lines = ["kfm_policy_signing_keys_version: v1", f"require_signature: {str(require).lower()}"]
    lines.append("keys:" if entries else "keys: []")
    for e in entries:
        lines.append(f"  - key_id: {e['key_id']}")
        for name in ("algorithm", "public_key", "valid_from", "valid_until"):
            if name in e:
                lines.append(f'    {name}: "{e[name]}"')
    return "\n".join(lines) + "\n"
