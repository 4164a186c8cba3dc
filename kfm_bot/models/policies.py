"""Models of the policy files in `policies/`: labels, licences, stewards, approvals, quarantine."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from kfm_bot.models.common import (
    BotLogin,
    Login,
    NonEmpty,
    PolicyLabel,
    PositiveInt,
    ReasonCode,
    SpdxExpression,
    StewardRole,
    Strict,
    Text,
)

ChangeClass = Literal[
    "new_source",
    "new_dataset",
    "dataset_changed",
    "license_changed",
    "label_raised",
    "label_lowered",
    "redaction_changed",
    "stewards_changed",
    "quarantine_set",
    "quarantine_lifted",
    "source_changed",
    "policy_changed",
]


class LabelRule(Strict):
    """What a label means: its `rank` (higher is more restricted) and what it requires."""

    rank: int = Field(ge=0, le=100)
    requires_redaction: bool
    # Max decimal places of coordinates in fixtures of data derived from sensitive locations.
    max_fixture_precision_decimals: int | None = Field(ge=0, le=15)
    description: Text


class LabelsPolicy(Strict):
    """`policies/labels.yaml`: every label, ordered by rank (public < internal < restricted)."""

    kfm_policy_labels_version: Literal["v1"]
    labels: dict[PolicyLabel, LabelRule]

    @model_validator(mode="after")
    def _ranks_ordered(self) -> LabelsPolicy:
        missing = {"public", "internal", "restricted"} - set(self.labels)
        if missing:
            raise ValueError(f"labels missing: {', '.join(sorted(missing))}")
        ranks = [self.labels[name].rank for name in ("public", "internal", "restricted")]
        if not ranks[0] < ranks[1] < ranks[2]:
            raise ValueError("ranks must order public < internal < restricted")
        return self


class LicensesPolicy(Strict):
    """`policies/licenses.yaml`: licences allowed per label, derivation, and unclear ids."""

    kfm_policy_licenses_version: Literal["v1"]
    allowed: dict[PolicyLabel, list[SpdxExpression]]
    compatibility: dict[SpdxExpression, list[SpdxExpression]]
    unclear: list[SpdxExpression] = Field(min_length=1)


class Steward(Strict):
    login: Login
    id: PositiveInt
    roles: list[StewardRole] = Field(min_length=1)


class Bot(Strict):
    login: BotLogin
    id: PositiveInt


class StewardsPolicy(Strict):
    """`policies/stewards.yaml`: the roster by login and numeric id; bots never count."""

    kfm_policy_stewards_version: Literal["v1"]
    stewards: list[Steward]
    bots: list[Bot] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> StewardsPolicy:
        logins = [s.login.lower() for s in self.stewards] + [b.login.lower() for b in self.bots]
        ids = [s.id for s in self.stewards] + [b.id for b in self.bots]
        if len(set(logins)) != len(logins) or len(set(ids)) != len(ids):
            raise ValueError("each login and each id may appear only once in the roster")
        return self


class Requirement(Strict):
    """Distinct approvers needed per role, e.g. `{"roles": {"data": 1, "licensing": 1}}`."""

    roles: dict[StewardRole, PositiveInt] = Field(min_length=1)


class ApprovalsPolicy(Strict):
    """`policies/approvals.yaml`: requirements per change class and extra ones per label.

    `default` applies to any change class not listed, so an unknown change fails closed.
    """

    kfm_policy_approvals_version: Literal["v1"]
    default: Requirement
    classes: dict[ChangeClass, Requirement]
    labels: dict[PolicyLabel, Requirement] = Field(default_factory=dict)
    # How many stewards the bot asks to review per missing role (0: it asks nobody).
    review_requests_per_role: int = Field(default=2, ge=0, le=10)

    def for_class(self, change_class: str) -> Requirement:
        for name, requirement in self.classes.items():
            if name == change_class:
                return requirement
        return self.default


class QuarantinePolicy(Strict):
    """`policies/quarantine.yaml`: the closed list of reason codes, and the overdue grace period.

    A remediation past its `due` date is a warning; `grace_days` later it is an error.
    """

    kfm_policy_quarantine_version: Literal["v1"]
    grace_days: int = Field(ge=0, le=365)
    reason_codes: dict[ReasonCode, NonEmpty] = Field(min_length=1)
