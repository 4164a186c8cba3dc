"""What a gate is: its letter, name, the checks that make it up, and whether it only warns.

The table of gates itself is `kfm_bot.gates.registry`, above the gate packages it imports; the
engine only knows this shape, so no gate package and the engine import each other in a circle.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kfm_bot.findings import Finding
from kfm_bot.gates.engine.context import GateContext

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
