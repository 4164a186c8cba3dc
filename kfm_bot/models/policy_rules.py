"""Models of `policies/rules/*.yaml` (CEL rules) and `policies/tests/*.yaml` (rule fixtures)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, JsonValue

from kfm_bot.models.common import NonEmpty, RelPath, Strict, Text

RULE_ID_PATTERN = r"^F\.rule\.[a-z0-9][a-z0-9-]{0,62}$"
AppliesTo = Literal["source", "spec"]
RuleId = Annotated[str, Field(pattern=RULE_ID_PATTERN)]


class CelRule(Strict):
    """A rule in the manner of a Kubernetes ValidatingAdmissionPolicy validation.

    `expression` must evaluate to true for a valid document; when false the rule fires with
    `message`, or with the string `message_expression` yields. `field_path` (dotted, e.g.
    `access.url`) names where in the document the finding points.
    """

    kfm_policy_rule_version: Literal["v1"]
    id: RuleId
    description: NonEmpty
    applies_to: AppliesTo
    severity: Literal["error", "warning"] = "error"
    expression: str = Field(min_length=1, max_length=4_000)
    message: NonEmpty
    message_expression: str | None = Field(default=None, min_length=1, max_length=4_000)
    field_path: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$")


class PolicyTestInput(Strict):
    """What rules see: the document as `object`, plus `sources`, `files` and policy overrides."""

    kind: AppliesTo
    document: dict[str, JsonValue]
    sources: dict[str, dict[str, JsonValue]] = Field(default_factory=dict)
    files: list[RelPath] = Field(default_factory=list)
    labels: dict[str, Any] | None = None
    stewards: dict[str, Any] | None = None


class PolicyTest(Strict):
    """One fixture: run every rule on `input`; exactly the rule ids in `expect` must fire."""

    kfm_policy_test_version: Literal["v1"]
    name: NonEmpty
    description: Text = ""
    input: PolicyTestInput
    expect: list[RuleId] = Field(default_factory=list)
