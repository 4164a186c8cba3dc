"""What the approvals engine decided: per-unit requirements, approvals used, ignored reviews."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from kfm_bot.approvals.state import ApprovalState, Hold, Requested
from kfm_bot.findings import Finding

if TYPE_CHECKING:
    from kfm_bot.approvals.semantic_diff import UnitDiff

# success: every unit satisfied, no hold, no fail-closed error.
# failure: a hold is active or the engine failed closed (unattributable commit, no base policy).
# action_required: otherwise; approvals are still missing (a steward has to act).
Conclusion = Literal["success", "failure", "action_required"]


@dataclass(frozen=True, slots=True)
class UsedApproval:
    """A review that filled one role slot of one unit; `approved_at` is its submission time."""

    unit: str
    role: str
    user_id: int
    login: str
    approved_at: str
    review_id: int

    @property
    def principal(self) -> str:
        return f"github:{self.user_id}:{self.login}"

    def manifest_entry(self) -> dict[str, str]:
        """The promotion manifest's `approvals[]` item."""
        return {"role": self.role, "principal": self.principal, "approved_at": self.approved_at}


@dataclass(frozen=True, slots=True)
class Ignored:
    """A review (or command) that granted nothing, or nothing for `unit`, and why.

    `reason` is a stable code (see `REASONS` in kfm_bot/approvals/reviews.py); `detail` a sentence.
    """

    source: str  # "review:<id>" or "comment:<id>"
    user_id: int | None
    login: str
    reason: str
    detail: str
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class UnitResult:
    """One unit: a dataset slug, `source:<id>` (a source no dataset uses) or `policies`."""

    unit: str
    kind: str  # "dataset" | "source" | "policies"
    classes: tuple[str, ...]
    required: dict[str, int]
    approvals: tuple[UsedApproval, ...]
    missing: dict[str, int]

    @property
    def satisfied(self) -> bool:
        return not any(self.missing.values())


@dataclass(frozen=True)
class RequestPlan:
    """Whom to ask for review (kfm_bot/approvals/review_requests.py decides)."""

    could_give: Mapping[str, tuple[str, ...]]  # missing role -> logins who could give it
    to_request: tuple[str, ...]  # logins to ask now (one POST)
    requested: tuple[Requested, ...]  # every request made so far, for the carried state


@dataclass(frozen=True)
class ApprovalResult:
    """The verdict for one PR at one head commit, and the state to carry to the next run."""

    pr: int
    head_sha: str
    units: tuple[UnitResult, ...]
    ignored: tuple[Ignored, ...]
    holds: tuple[Hold, ...]
    flags: tuple[Finding, ...]
    conclusion: Conclusion
    state: ApprovalState
    notes: tuple[str, ...] = field(default=())
    # The PR's state record (kfm_bot/approvals/state_merge.py): the trusted comment to edit and
    # what it held (None: no trusted record), and the bot ids the base roster trusts to keep it.
    record_id: int | None = None
    record_state: ApprovalState | None = None
    record_bots: frozenset[int] = frozenset()
    # What the change means per unit, in words (kfm_bot/approvals/semantic_diff.py).
    diff: tuple[UnitDiff, ...] = ()
    # Who could give each missing role, and whom to ask now (kfm_bot/approvals/review_requests.py).
    requests: RequestPlan | None = None

    def unit(self, name: str) -> UnitResult | None:
        return next((u for u in self.units if u.unit == name), None)

    def manifest_approvals(self, unit: str) -> list[dict[str, str]]:
        """`approvals[]` for the promotion manifest of a dataset, sorted by role then principal."""
        found = self.unit(unit)
        used = found.approvals if found is not None else ()
        entries = [a.manifest_entry() for a in used]
        return sorted(entries, key=lambda e: (e["role"], e["principal"]))

    @property
    def satisfied(self) -> bool:
        return self.conclusion == "success"
