"""Models of `policies/rules/*.yaml` (CEL rules) and `policies/tests/*.yaml` (rule fixtures)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, JsonValue

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

    model_config = ConfigDict(title="Policy rule (CEL)")

    kfm_policy_rule_version: Literal["v1"] = Field(
        description="The format version of this file; always `v1`."
    )
    id: RuleId = Field(
        examples=["F.rule.https-only"],
        description="The rule's id, `F.rule.<name>`: what findings and policy tests name.",
    )
    description: NonEmpty = Field(
        examples=["Sources are fetched over HTTPS only."],
        description="What the rule enforces and why.",
    )
    applies_to: AppliesTo = Field(
        description="Which documents the rule sees: `source` entries or pipeline `spec`s."
    )
    severity: Literal["error", "warning"] = Field(
        default="error",
        description="`error` fails gate F; `warning` is reported and does not block.",
    )
    expression: str = Field(
        examples=["!has(object.access.url) || object.access.url.startsWith('https://')"],
        min_length=1,
        max_length=4_000,
        description=(
            "A CEL expression over `object` (the document) that is true for a valid document."
        ),
    )
    message: NonEmpty = Field(
        examples=["access.url must use https"],
        description="The finding's message when `expression` is false.",
    )
    message_expression: str | None = Field(
        examples=["'access.url ' + object.access.url + ' must use https'"],
        default=None,
        min_length=1,
        max_length=4_000,
        description="A CEL expression yielding the message instead, to name the values at fault.",
    )
    field_path: str | None = Field(
        examples=["access.url"],
        default=None,
        pattern=r"^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$",
        description="The dotted path in the document the finding points at, e.g. `access.url`.",
    )


class PolicyTestInput(Strict):
    """What rules see: the document as `object`, plus `sources`, `files` and policy overrides."""

    kind: AppliesTo = Field(description="Which kind of document `document` is.")
    document: dict[str, JsonValue] = Field(
        description="The source entry or spec the rules see as `object`."
    )
    sources: dict[str, dict[str, JsonValue]] = Field(
        default_factory=dict,
        description="Registered sources by id, as rules see them in `sources`.",
    )
    files: list[RelPath] = Field(
        default_factory=list, description="Repository paths, as rules see them in `files`."
    )
    labels: dict[str, Any] | None = Field(
        default=None, description="A `policies/labels.yaml` to use instead of the repository's."
    )
    stewards: dict[str, Any] | None = Field(
        default=None, description="A `policies/stewards.yaml` to use instead of the repository's."
    )


class PolicyTest(Strict):
    """One fixture: run every rule on `input`; exactly the rule ids in `expect` must fire."""

    model_config = ConfigDict(title="Policy rule test fixture")

    kfm_policy_test_version: Literal["v1"] = Field(
        description="The format version of this file; always `v1`."
    )
    name: NonEmpty = Field(
        examples=["an http source fires https-only"],
        description="The fixture's name, shown when it fails.",
    )
    description: Text = Field(
        examples=["A plain-http access URL is refused."],
        default="",
        description="What the fixture shows.",
    )
    input: PolicyTestInput = Field(description="The document and context every rule is run on.")
    expect: list[RuleId] = Field(
        examples=[["F.rule.https-only"]],
        default_factory=list,
        description="Exactly the rule ids that must fire (none: every rule passes).",
    )
