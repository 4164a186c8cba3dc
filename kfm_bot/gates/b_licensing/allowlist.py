"""Gate B's view of policies/licenses.yaml: ids spelled canonically, and classifying a licence."""

from __future__ import annotations

from kfm_bot.gates.b_licensing import spdx
from kfm_bot.gates.engine.context import GateContext


class Policy:
    """The licences policy with every id spelled canonically; empty (fail closed) when missing."""

    def __init__(self, ctx: GateContext) -> None:
        model = getattr(ctx.policies, "licenses", None)
        labels = getattr(ctx.policies, "labels", None)
        self.available = model is not None
        self.labels: set[str] = set(labels.labels) if labels is not None else set()
        allowed: dict[str, list[str]] = dict(model.allowed) if model else {}
        compat: dict[str, list[str]] = dict(model.compatibility) if model else {}
        self.allowed = {k: {spdx.canonical(x) for x in v} for k, v in allowed.items()}
        self.compat = {spdx.canonical(k): {spdx.canonical(x) for x in v} for k, v in compat.items()}
        self.unclear = [spdx.canonical(x) for x in (model.unclear if model else [])]
        named = set(self.compat).union(*self.allowed.values(), *self.compat.values())
        self.refs = {k for k in named if k.startswith(spdx.REF_PREFIXES)}

        # Registries repeat a few licences thousands of times: each answer is kept by its
        # (string) question for this policy.
        self._classified: dict[str, tuple[str | None, str, spdx.Parsed]] = {}
        self._choosable: dict[tuple[str, str], bool] = {}

    def classify(self, value: str) -> tuple[str | None, str, spdx.Parsed]:
        """(rule id or None, what is wrong, parsed) for one licence expression."""
        known = self._classified.get(value)
        if known is None:
            known = self._classified[value] = self._classify(value)
        return known

    def choosable_for(self, value: str, label: str | None) -> bool:
        """Whether a valid expression can be satisfied by licences allowed for `label`."""
        key = (value, label or "")
        known = self._choosable.get(key)
        if known is None:
            allowed = self.allowed.get(label or "", set())
            known = spdx.choosable(self.classify(value)[2], lambda k: k in allowed)
            self._choosable[key] = known
        return known

    def _classify(self, value: str) -> tuple[str | None, str, spdx.Parsed]:
        parsed = spdx.parse(value)
        if parsed.tree is None:
            return "B.spdx-invalid", f"is not a valid SPDX expression ({parsed.error})", parsed
        unclear = spdx.unclear_keys(parsed, self.unclear, self.refs)
        if unclear:
            return "B.license-unclear", f"is unclear ({', '.join(unclear)})", parsed
        bad = spdx.invalid_keys(parsed, self.refs)
        if bad:
            return "B.spdx-invalid", f"names id(s) unknown to SPDX: {', '.join(bad)}", parsed
        return None, "", parsed
