"""Default-deny: a version leaves only into a pack at least as restricted as its policy label."""

from __future__ import annotations

from typing import Any

from kfm_bot.errors import UsageError
from kfm_bot.export.layout import PackError
from kfm_bot.export.promoted import Promoted
from kfm_bot.repo.layout import POLICIES_DIR

LABELS_PATH = f"{POLICIES_DIR}/labels.yaml"


def _labels(promoted: Promoted) -> dict[str, Any]:
    """The `labels` mapping of policies/labels.yaml at the promotion commit; else PackError."""
    from kfm_bot.yaml.strict import load_strict

    snap = promoted.snapshot
    entry = snap.entry(LABELS_PATH)
    loaded = (
        load_strict(snap.read(LABELS_PATH), LABELS_PATH) if entry and entry.is_regular else None
    )
    data = loaded.data if loaded is not None and not loaded.findings else None
    labels = data.get("labels") if data is not None else None
    if not isinstance(labels, dict):
        raise PackError(_unclear(promoted, f"{LABELS_PATH} is missing or unreadable there"))
    return labels


def label_ranks(promoted: Promoted) -> dict[str, int]:
    """Label -> rank from policies/labels.yaml at the promotion commit; unreadable means unclear."""
    labels = _labels(promoted)
    ranks: dict[str, int] = {}
    for name, rule in labels.items():
        rank = rule.get("rank") if isinstance(rule, dict) else None
        if isinstance(rank, int) and not isinstance(rank, bool):
            ranks[name] = rank
    return ranks


def check_label(promoted: Promoted, target: str) -> str:
    """The version's policy label, when a `target` pack may hold it; PackError otherwise."""
    ranks = label_ranks(promoted)
    if target not in ranks:
        known = ", ".join(sorted(ranks, key=lambda name: ranks[name])) or "none"
        raise UsageError(f"--label {target!r} is not a label of {LABELS_PATH} (known: {known})")
    label = _field(promoted.manifest, "policy", "policy_label")
    decided = promoted.decision.get("policy_label")
    if not isinstance(label, str) or not label:
        raise PackError(_unclear(promoted, "the promotion manifest names no policy label"))
    if label not in ranks:
        raise PackError(_unclear(promoted, f"its policy label {label!r} has no rank"))
    if decided != label:
        raise PackError(
            _unclear(promoted, "the policy decision and the manifest name different labels")
        )
    if promoted.decision.get("decision") != "allow":
        raise PackError(f"{promoted.slug}/{promoted.version}: its policy decision is not allow")
    if ranks[label] > ranks[target]:
        raise PackError(
            f"{promoted.slug}/{promoted.version} is labelled {label!r}, more restricted than a "
            f"{target!r} pack: export it only into a pack labelled {label!r} or higher"
        )
    return label


def requires_redaction(promoted: Promoted, label: str) -> bool:
    """Whether `label` requires a redaction plan; unless it says false, it does (fail closed)."""
    rule = _labels(promoted).get(label)
    return not (isinstance(rule, dict) and rule.get("requires_redaction") is False)


def _field(doc: dict[str, Any], outer: str, inner: str) -> Any:
    value = doc.get(outer)
    return value.get(inner) if isinstance(value, dict) else None


def _unclear(promoted: Promoted, why: str) -> str:
    return (
        f"the sensitivity of {promoted.slug}/{promoted.version} is unclear ({why} at the "
        f"promotion commit {promoted.commit[:12]}): nothing is exported"
    )
