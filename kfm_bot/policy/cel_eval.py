"""Evaluating compiled CEL rules on one document: bindings, outcomes, fail-closed verdicts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from kfm_bot.policy.cel_rules import CompiledRule, Outcome

if TYPE_CHECKING:
    from kfm_bot.policy.policyset import PolicySet


def bindings(
    document: Mapping[str, object],
    *,
    sources: Mapping[str, object] | None = None,
    files: Iterable[str] = (),
    labels: Mapping[str, object] | None = None,
    stewards: Mapping[str, object] | None = None,
) -> dict[str, object]:
    """The CEL activation: `object`, `sources` (id -> entry), `files`, `labels`, `stewards`."""
    return document_bindings(shared_bindings(labels, stewards), document, sources, files)


def shared_bindings(
    labels: Mapping[str, object] | None, stewards: Mapping[str, object] | None
) -> dict[str, object]:
    """The bindings every document shares, converted to CEL values once."""
    from celpy.adapter import json_to_cel

    return {
        "labels": json_to_cel(dict(labels or {})),
        "stewards": json_to_cel(dict(stewards or {})),
    }


def document_bindings(
    shared: Mapping[str, object],
    document: Mapping[str, object],
    sources: Mapping[str, object] | None = None,
    files: Iterable[str] = (),
) -> dict[str, object]:
    from celpy.adapter import json_to_cel

    return {
        **shared,
        "object": json_to_cel(dict(document)),
        "sources": json_to_cel(dict(sources or {})),
        "files": json_to_cel(sorted(files)),
    }


def policy_bindings(policies: PolicySet | None) -> dict[str, Mapping[str, object]]:
    """`labels` and `stewards` as plain JSON from a PolicySet (empty when missing or invalid)."""
    labels = None if policies is None else policies.labels
    roster = None if policies is None else policies.stewards
    label_map: dict[str, object] = (
        {} if labels is None else {k: v.model_dump() for k, v in labels.labels.items()}
    )
    steward_map = (
        {}
        if roster is None
        else {s.login: {"id": s.id, "roles": list(s.roles)} for s in roster.stewards}
    )
    return {"labels": label_map, "stewards": steward_map}


def evaluate(rule: CompiledRule, activation: Mapping[str, object]) -> Outcome:
    """Run one rule. An error or a non-bool result is a `problem`, never a pass."""
    from celpy.celtypes import BoolType
    from celpy.evaluation import CELEvalError

    try:
        result = rule.program.evaluate(dict(activation))
    except Exception as exc:
        return Outcome(rule, False, problem=_reason(exc))
    if isinstance(result, CELEvalError):
        return Outcome(rule, False, problem=_reason(result))
    if not isinstance(result, (bool, BoolType)):
        return Outcome(rule, False, problem=f"it evaluated to {type(result).__name__}, not a bool")
    if result:
        return Outcome(rule, False)
    return Outcome(rule, True, message=_message(rule, activation))


def run_rules(
    rules: Iterable[CompiledRule], kind: str, activation: Mapping[str, object]
) -> list[Outcome]:
    return [evaluate(rule, activation) for rule in rules if rule.applies_to == kind]


def _message(rule: CompiledRule, activation: Mapping[str, object]) -> str:
    if rule.message_program is None:
        return rule.message
    try:
        text = rule.message_program.evaluate(dict(activation))
    except Exception:
        return rule.message
    return str(text) if isinstance(text, str) and text.strip() else rule.message


def _reason(exc: BaseException) -> str:
    """The innermost human part of a celpy error, on one line."""
    args: object = exc.args
    while isinstance(args, tuple) and args:
        head = args[0]
        if isinstance(head, BaseException):
            args = head.args
        elif head == "evaluation error" and len(args) > 2 and isinstance(args[2], tuple):
            args = args[2]
        else:
            break
    text = str(args[0]) if isinstance(args, tuple) and args else type(exc).__name__
    return " ".join(text.split())[:200]
