"""The gate registry: every gate check is registered, and the runner fails closed around it."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import kfm_bot.gates
from kfm_bot.findings import Finding
from kfm_bot.gates.engine.context import GateContext
from kfm_bot.gates.engine.gate_spec import GateSpec, check_name
from kfm_bot.gates.engine.runner import run_all, run_gate
from kfm_bot.gates.registry import GATES
from tests.bcd_support import context


def _gate_modules() -> list[str]:
    found = pkgutil.walk_packages(kfm_bot.gates.__path__, kfm_bot.gates.__name__ + ".")
    return sorted(m.name for m in found if not m.ispkg)


def test_every_run_in_the_gate_modules_is_registered() -> None:
    """A gate module's `run` that no gate lists never runs (as ledger_check.py once did)."""
    registered = {check_name(c) for spec in GATES.values() for c in spec.checks}
    defined = set()
    for name in _gate_modules():
        run = getattr(importlib.import_module(name), "run", None)
        if inspect.isfunction(run) and run.__module__ == name:
            defined.add(check_name(run))
    assert "kfm_bot.gates.a_identity.ledger_check:run" in defined  # the walk does find gate modules
    assert defined == registered


def test_gates_run_in_letter_order_and_only_g_warns() -> None:
    assert list(GATES) == sorted(GATES) == list("ABCDEFG")
    assert [g for g, spec in GATES.items() if spec.warn_only] == ["G"]


def _crash(ctx: GateContext) -> list[Finding]:
    raise RuntimeError(f"boom on {len(ctx.scope.datasets)} datasets")


def test_a_crashing_check_fails_its_gate_and_is_named() -> None:
    outcome = run_gate(GateSpec("X", "crashing", (_crash,)), context())
    assert outcome.status == "fail"
    [finding] = outcome.findings
    assert finding.rule == "X.internal"
    assert finding.message.startswith(f"check {__name__}:_crash crashed: RuntimeError: boom")


def test_no_gates_at_all_fail() -> None:
    [outcome] = run_all(context(), {})
    assert outcome.status == "fail" and outcome.findings[0].rule == "gates.none"
