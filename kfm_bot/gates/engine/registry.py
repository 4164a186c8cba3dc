"""The gates in order: letter, name, the checks that make it up, and whether it only warns."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from kfm_bot.findings import Finding
from kfm_bot.gates.engine.context import GateContext

Check = Callable[[GateContext], list[Finding]]


def load_check(target: str) -> Check:
    module, _, attr = target.partition(":")
    check: Check = getattr(importlib.import_module(module), attr)
    return check


@dataclass(frozen=True)
class GateSpec:
    gate: str
    name: str
    checks: tuple[str, ...]  # "module:function", imported when the gate runs
    warn_only: bool = False


GATES: dict[str, GateSpec] = {
    spec.gate: spec
    for spec in (
        GateSpec(
            "A",
            "identity and versioning",
            (
                "kfm_bot.gates.a_identity.identity:run",
                "kfm_bot.gates.a_identity.tree:run",
                "kfm_bot.gates.a_identity.stability:run",
                "kfm_bot.gates.a_identity.ledger_check:run",
            ),
        ),
        GateSpec(
            "B",
            "licensing and rights",
            ("kfm_bot.gates.b_licensing.licensing:run", "kfm_bot.gates.b_licensing.quarantine:run"),
        ),
        GateSpec(
            "C", "sensitivity and redaction", ("kfm_bot.gates.c_sensitivity.sensitivity:run",)
        ),
        GateSpec("D", "catalog triplet", ("kfm_bot.gates.d_catalog.catalog:run",)),
        GateSpec("E", "run receipts and checksums", ("kfm_bot.gates.e_receipts.receipts:run",)),
        GateSpec("F", "policy and contract tests", ("kfm_bot.gates.f_policy.policy:run",)),
        GateSpec(
            "G", "production posture", ("kfm_bot.gates.g_posture.posture:run",), warn_only=True
        ),
    )
}
