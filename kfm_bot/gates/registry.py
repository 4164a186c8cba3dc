"""The gates in order: letter, name, the checks that make it up, and whether it only warns.

Checks are real function references, so mypy sees every gate's signature and a gate module
that is never registered is caught by `tests/test_gate_registry.py`. Importing this module
imports every gate; only code that is about to run the gates (or list their rules) does so.
"""

from __future__ import annotations

from kfm_bot.gates.a_identity import identity, ledger_check, stability, tree
from kfm_bot.gates.b_licensing import licensing, quarantine
from kfm_bot.gates.c_sensitivity import sensitivity
from kfm_bot.gates.d_catalog import catalog
from kfm_bot.gates.e_receipts import receipts
from kfm_bot.gates.engine.gate_spec import GateSpec
from kfm_bot.gates.f_policy import policy
from kfm_bot.gates.g_posture import posture

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
