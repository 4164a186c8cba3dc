"""Models of the policy files in `policies/`: labels, licences, stewards, approvals, quarantine."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field, model_validator

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

    rank: int = Field(
        examples=[0, 10, 20],
        ge=0,
        le=100,
        description=(
            "Order of the label: higher is more restricted (public < internal < restricted)."
        ),
    )
    requires_redaction: bool = Field(
        description=(
            "True when data derived from sensitive locations needs a redaction plan at this label."
        )
    )
    # Max decimal places of coordinates in fixtures of data derived from sensitive locations.
    max_fixture_precision_decimals: int | None = Field(
        examples=[2],
        ge=0,
        le=15,
        description=(
            "Max decimal places of coordinates in fixtures of data derived from sensitive "
            "locations; null for no limit."
        ),
    )
    description: Text = Field(
        examples=["Open to anyone; no restriction on use."],
        description="What the label means, for readers.",
    )


class LabelsPolicy(Strict):
    """`policies/labels.yaml`: every label, ordered by rank (public < internal < restricted)."""

    model_config = ConfigDict(title="Policy: sensitivity labels")

    kfm_policy_labels_version: Literal["v1"] = Field(
        description="The format version of this file; always `v1`."
    )
    labels: dict[PolicyLabel, LabelRule] = Field(
        description="Every label (`public`, `internal`, `restricted`) and its rule."
    )

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

    model_config = ConfigDict(title="Policy: allowed licences")

    kfm_policy_licenses_version: Literal["v1"] = Field(
        description="The format version of this file; always `v1`."
    )
    allowed: dict[PolicyLabel, list[SpdxExpression]] = Field(
        description="The SPDX licences allowed for a dataset of each label."
    )
    compatibility: dict[SpdxExpression, list[SpdxExpression]] = Field(
        description="For each source licence, the licences a dataset derived from it may carry."
    )
    unclear: list[SpdxExpression] = Field(
        min_length=1,
        description=(
            "Licence ids that need a licensing steward's review whatever the label (e.g. "
            "`NOASSERTION`)."
        ),
    )


class Steward(Strict):
    login: Login = Field(
        description=(
            "The steward's GitHub login, for readers; `kfm-bot roster check` confirms it still "
            "belongs to `id`."
        )
    )
    id: PositiveInt = Field(
        examples=[4410021],
        description=(
            "The steward's numeric GitHub user id: what identifies the person (a login can be "
            "renamed or reused). `https://api.github.com/users/<login>` shows it."
        ),
    )
    roles: list[StewardRole] = Field(
        min_length=1, description="The roles the steward may approve for."
    )


class Bot(Strict):
    login: BotLogin = Field(description="The bot account's login.")
    id: PositiveInt = Field(
        examples=[41898282],
        description="The bot account's numeric GitHub user id; its reviews never count.",
    )


class StewardsPolicy(Strict):
    """`policies/stewards.yaml`: the roster by login and numeric id; bots never count."""

    model_config = ConfigDict(title="Policy: steward roster")

    kfm_policy_stewards_version: Literal["v1"] = Field(
        description="The format version of this file; always `v1`."
    )
    stewards: list[Steward] = Field(
        description="The people whose approvals count, by login and numeric id."
    )
    bots: list[Bot] = Field(
        default_factory=list, description="Bot accounts, whose reviews never count as approvals."
    )

    @model_validator(mode="after")
    def _unique(self) -> StewardsPolicy:
        logins = [s.login.lower() for s in self.stewards] + [b.login.lower() for b in self.bots]
        ids = [s.id for s in self.stewards] + [b.id for b in self.bots]
        if len(set(logins)) != len(logins) or len(set(ids)) != len(ids):
            raise ValueError("each login and each id may appear only once in the roster")
        return self


class Requirement(Strict):
    """Distinct approvers needed per role, e.g. `{"roles": {"data": 1, "licensing": 1}}`."""

    roles: dict[StewardRole, PositiveInt] = Field(
        min_length=1, description="How many distinct stewards of each role must approve."
    )


class ApprovalsPolicy(Strict):
    """`policies/approvals.yaml`: requirements per change class and extra ones per label.

    `default` applies to any change class not listed, so an unknown change fails closed.
    """

    model_config = ConfigDict(title="Policy: required approvals")

    kfm_policy_approvals_version: Literal["v1"] = Field(
        description="The format version of this file; always `v1`."
    )
    default: Requirement = Field(
        description=(
            "What any change class not listed in `classes` needs, so an unknown change fails "
            "closed."
        )
    )
    classes: dict[ChangeClass, Requirement] = Field(
        description="What each class of change needs (a new source, a lowered label, ...)."
    )
    labels: dict[PolicyLabel, Requirement] = Field(
        default_factory=dict,
        description="What a change to a dataset of each label needs on top of its class.",
    )
    # How many stewards the bot asks to review per missing role (0: it asks nobody).
    review_requests_per_role: int = Field(
        examples=[2],
        default=2,
        ge=0,
        le=10,
        description=(
            "How many stewards the bot asks to review per missing role (0: it asks nobody)."
        ),
    )

    def for_class(self, change_class: str) -> Requirement:
        for name, requirement in self.classes.items():
            if name == change_class:
                return requirement
        return self.default


class QuarantinePolicy(Strict):
    """`policies/quarantine.yaml`: the closed list of reason codes, and the overdue grace period.

    A remediation past its `due` date is a warning; `grace_days` later it is an error.
    """

    model_config = ConfigDict(title="Policy: quarantine reason codes")

    kfm_policy_quarantine_version: Literal["v1"] = Field(
        description="The format version of this file; always `v1`."
    )
    grace_days: int = Field(
        examples=[14],
        ge=0,
        le=365,
        description=(
            "Days after a remediation's `due` date before an overdue quarantine is an error rather"
            " than a warning."
        ),
    )
    reason_codes: dict[ReasonCode, NonEmpty] = Field(
        min_length=1, description="The reason codes a quarantine may give, each with its meaning."
    )
