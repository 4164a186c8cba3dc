"""Policy decision v1: what the bot decided for a dataset version, why, and what it obliges."""

from __future__ import annotations

import hashlib
from typing import Any, Literal

from pydantic import Field

from kfm_bot.models.common import DatasetSlug, DecisionId, Digest, NonEmpty, PolicyLabel, Strict

DECISION_ID_PREFIX = "kfm://policy_decision/"


class RuleOutcome(Strict):
    rule: NonEmpty
    outcome: Literal["pass", "fail", "warn", "skip"]
    detail: str = ""


class Obligation(Strict):
    """Something the release must honour, e.g. `{"kind": "redaction", "detail": "..."}`."""

    kind: str = Field(pattern=r"^[a-z][a-z0-9_-]{0,63}$")
    detail: str = ""


class PolicyDecision(Strict):
    """Policy decision v1.

    `decision_id` is `"kfm://policy_decision/" + sha256 hex` of the RFC 8785 bytes of the
    decision's JSON object without the `decision_id` key (see `decision_id_for`).
    """

    kfm_policy_decision_version: Literal["v1"]
    decision_id: DecisionId
    dataset_slug: DatasetSlug
    spec_hash: Digest
    policy_label: PolicyLabel
    decision: Literal["allow", "deny"]
    rules: list[RuleOutcome]
    obligations: list[Obligation]
    policies_digest: Digest


def decision_id_for(document: dict[str, Any]) -> str:
    """The decision id of a decision given as a JSON object (its own `decision_id` ignored)."""
    import rfc8785  # lazy: keeps CLI start-up fast

    body = {key: value for key, value in document.items() if key != "decision_id"}
    return DECISION_ID_PREFIX + hashlib.sha256(rfc8785.dumps(body)).hexdigest()
