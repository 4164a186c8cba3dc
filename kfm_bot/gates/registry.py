"""The gates in order: letter, name, the checks that make it up, and whether it only warns.

Checks are real function references, so mypy sees every gate's signature and a gate module
that is never registered is caught by `tests/test_gate_registry.py`. Importing this module
imports every gate; only code that is about to run the gates (or list their rules) does so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kfm_bot.findings import Finding
from kfm_bot.gates import (
    catalog,
    identity,
    ledger_check,
    licensing,
    policy,
    posture,
    quarantine,
    receipts,
    sensitivity,
    stability,
    tree,
)
from kfm_bot.gates.context import GateContext

Check = Callable[[GateContext], list[Finding]]


def check_name(check: Check) -> str:
    """`module:function`, as a crash finding names the check."""
    return f"{check.__module__}:{check.__qualname__}"


@dataclass(frozen=True)
class GateSpec:
    gate: str
    name: str
    checks: tuple[Check, ...]
    warn_only: bool = False


GATES: dict[str, GateSpec] = {
    spec.gate: spec
    for spec in (
        GateSpec(
            "A",
            "identity and versioning",
            (identity.run, tree.run, stability.run, ledger_check.run),
        ),
        GateSpec("B", "licensing and rights", (licensing.run, quarantine.run)),
        GateSpec("C", "sensitivity and redaction", (sensitivity.run,)),
        GateSpec("D", "catalog triplet", (catalog.run,)),
        GateSpec("E", "run receipts and checksums", (receipts.run,)),
        GateSpec("F", "policy and contract tests", (policy.run,)),
        GateSpec("G", "production posture", (posture.run,), warn_only=True),
    )
}
