"""The seal on the approvals state the bot carries: HMAC-SHA256 with a key only it holds.

Without its own GitHub App the bot posts as GitHub Actions, like every workflow in the
repository, so a check run or comment that carries a state proves nothing by its author. With
a key from the protected environment (`KFM_STATE_KEY`) the bot seals each state it writes and
reads back only states whose seal holds: a forged or edited state is ignored and reported.

Standard library only (`hmac`, `hashlib`): the key is secret and shared by writer and reader,
the same program, so a MAC is enough; `hmac.compare_digest` compares in constant time.
"""

from __future__ import annotations

import hashlib
import hmac

# Domain separation: a seal over an approvals state is never valid for anything else.
_CONTEXT = b"kfm-bot approvals state v1\n"
MIN_KEY_BYTES = 16


class StateSeal:
    """Seals and checks encoded states; the key never leaves this object (not even in repr)."""

    __slots__ = ("_key",)

    def __init__(self, key: bytes) -> None:
        if len(key) < MIN_KEY_BYTES:
            raise ValueError(f"the state key must have at least {MIN_KEY_BYTES} bytes")
        self._key = key

    def __repr__(self) -> str:
        return "StateSeal(key=***)"

    def seal(self, encoded: str) -> str:
        """The hex HMAC-SHA256 of one encoded state block."""
        mac = hmac.new(self._key, _CONTEXT + encoded.encode("ascii"), hashlib.sha256)
        return mac.hexdigest()

    def holds(self, encoded: str, seal: str | None) -> bool:
        return seal is not None and hmac.compare_digest(self.seal(encoded), seal)
