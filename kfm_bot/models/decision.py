"""Policy decision v1: what the bot decided for a dataset version, why, and what it obliges."""

from __future__ import annotations

import hashlib
from typing import Any, Literal

from pydantic import ConfigDict, Field

from kfm_bot.models.common import DatasetSlug, DecisionId, Digest, NonEmpty, PolicyLabel, Strict

DECISION_ID_PREFIX = "kfm://policy_decision/"


class RuleOutcome(Strict):
    rule: NonEmpty = Field(examples=["C.label-downgrade"], description="The rule or gate id.")
    outcome: Literal["pass", "fail", "warn", "skip"] = Field(
        description="What it said: `pass`, `fail`, `warn` or `skip`."
    )
    detail: str = Field(
        examples=["label internal matches its sources"],
        default="",
        description="Why, in a sentence.",
    )


class Obligation(Strict):
    """Something the release must honour, e.g. `{"kind": "redaction", "detail": "..."}`."""

    kind: str = Field(
        examples=["redaction", "attribution"],
        pattern=r"^[a-z][a-z0-9_-]{0,63}$",
        description="What kind of obligation, e.g. `redaction` or `attribution`.",
    )
    detail: str = Field(
        examples=["publish site locations only at 2 decimal places"],
        default="",
        description="What exactly the release must do.",
    )


class PolicyDecision(Strict):
    """Policy decision v1.

    `decision_id` is `"kfm://policy_decision/" + sha256 hex` of the RFC 8785 bytes of the
    decision's JSON object without the `decision_id` key (see `decision_id_for`).
    """

    model_config = ConfigDict(title="Policy decision")

    kfm_policy_decision_version: Literal["v1"] = Field(
        description="The format version; always `v1`."
    )
    decision_id: DecisionId = Field(
        description=(
            "`kfm://policy_decision/` + sha256 of the RFC 8785 bytes of this object without "
            "`decision_id`."
        )
    )
    dataset_slug: DatasetSlug = Field(description="The dataset decided on.")
    spec_hash: Digest = Field(description="The `spec_hash` of the spec decided on.")
    policy_label: PolicyLabel = Field(description="The label the version is released under.")
    decision: Literal["allow", "deny"] = Field(description="`allow` or `deny`.")
    rules: list[RuleOutcome] = Field(description="Each rule's outcome.")
    obligations: list[Obligation] = Field(description="What the release must honour.")
    policies_digest: Digest = Field(
        description="The digest of the policies the decision was made under."
    )


def decision_id_for(document: dict[str, Any]) -> str:
    """The decision id of a decision given as a JSON object (its own `decision_id` ignored)."""
    import rfc8785  # lazy: keeps CLI start-up fast

    body = {key: value for key, value in document.items() if key != "decision_id"}
    return DECISION_ID_PREFIX + hashlib.sha256(rfc8785.dumps(body)).hexdigest()
