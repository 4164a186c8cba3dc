"""The promotion contract as standalone tools: build a manifest from a pipeline's files, and
judge any manifest against the contract (`kfm-bot manifest build` / `manifest validate`).

The inputs are the seed generator's: identity flags, an artifacts manifest, a catalogs
manifest, the QA report, the policy decision and the approvals, each a file. Malformed input
is a usage error (exit 2, `UsageError`); a well-formed input that breaks the contract (QA not
`pass`, a `deny` decision, no approvals, duplicate artifacts, a version id that is not the
spec's) is the expected "no" (exit 1, `GateFailure`). Either way one located sentence.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from kfm_bot.canonical import sha256_digest
from kfm_bot.errors import GateFailure, UsageError
from kfm_bot.models.common import (
    DATASET_VERSION_PATTERN,
    UTC_TIME_PATTERN,
    DatasetSlug,
    DatasetVersionId,
    UtcTime,
)
from kfm_bot.models.decision import PolicyDecision, decision_id_for
from kfm_bot.models.manifest import Approval, Artifact, CatalogRef, PromotionManifest
from kfm_bot.models.patterns import DATASET_SLUG_PATTERN
from kfm_bot.models.qa import QaReport
from kfm_bot.promotion.approvals_file import load_approvals
from kfm_bot.promotion.field_problems import PATTERN_WORDS, problem_text
from kfm_bot.promotion.json_input import parse, read_json, read_text


@dataclass(frozen=True)
class ContractInputs:
    dataset_slug: str
    dataset_version_id: str
    released_at: str
    artifacts_manifest: Path
    catalogs_manifest: Path
    qa_report: Path
    policy_decision: Path
    approvals: Path


def where(loc: Iterable[int | str]) -> str:
    """A pydantic error location as a JSON path: `$.artifacts[0].digest`."""
    out = "$"
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def first_error(exc: ValidationError, prefix: Sequence[int | str] = ()) -> str:
    """`<json path>: <problem>` of a validation's first error, `(+N more)` when there are more."""
    errors = exc.errors()
    more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where([*prefix, *errors[0]['loc']])}: {problem_text(errors[0])}{more}"


def build_manifest(inputs: ContractInputs) -> dict[str, Any]:
    """The manifest of the inputs, or the first contract violation; the same inputs always give
    the same document (entries sorted, nothing read from the clock or the environment)."""
    slug, version, released_at = _identity(inputs)
    artifacts = _entries(inputs.artifacts_manifest, "artifacts", Artifact)
    catalogs = _entries(inputs.catalogs_manifest, "catalogs", CatalogRef)
    qa_digest = _qa(inputs.qa_report, slug)
    decision = _decision(inputs.policy_decision, slug)
    _version_matches(version, decision.spec_hash, released_at, f"--dataset-version-id {version}")
    approvals = _approvals(inputs.approvals, released_at)
    manifest: dict[str, Any] = {
        "kfm_promotion_manifest_version": "v1",
        "dataset_slug": slug,
        "dataset_version_id": version,
        "spec_hash": decision.spec_hash,
        "released_at": released_at,
        "artifacts": sorted(artifacts, key=lambda a: str(a.get("path") or a.get("uri"))),
        "catalogs": sorted(catalogs, key=lambda c: str(c["path"])),
        "qa": {"status": "pass", "report_digest": qa_digest},
        "policy": {"policy_label": decision.policy_label, "decision_id": decision.decision_id},
        "approvals": sorted(approvals, key=lambda a: (a["role"], a["principal"], a["approved_at"])),
    }
    PromotionManifest.model_validate(manifest)  # the model is the last word on the shape
    return manifest


def _identity(inputs: ContractInputs) -> tuple[str, str, str]:
    checks = (
        ("--dataset-slug", inputs.dataset_slug, DatasetSlug, DATASET_SLUG_PATTERN),
        (
            "--dataset-version-id",
            inputs.dataset_version_id,
            DatasetVersionId,
            DATASET_VERSION_PATTERN,
        ),
        ("--released-at", inputs.released_at, UtcTime, UTC_TIME_PATTERN),
    )
    for flag, value, kind, pattern in checks:
        try:
            TypeAdapter(kind).validate_python(value)
        except ValidationError:
            rule = PATTERN_WORDS.get(pattern, f"must match {pattern}")
            raise UsageError(f"{flag} {value!r}: {rule}") from None
    return inputs.dataset_slug, inputs.dataset_version_id, inputs.released_at


def _entries(
    path: Path, key: str, model: type[Artifact] | type[CatalogRef]
) -> list[dict[str, Any]]:
    """A list of entries, or `{"<key>": [...]}`; every entry of the manifest's own shape."""
    what = f"{key} manifest"
    data = read_json(path, what)
    prefix: list[int | str] = []
    if isinstance(data, dict) and set(data) == {key}:
        data, prefix = data[key], [key]
    if not isinstance(data, list):
        raise UsageError(
            f'{path}: the {what} must be a JSON list of entries or an object {{"{key}": [...]}}'
        )
    entries: list[Artifact | CatalogRef] = []
    for n, item in enumerate(data):
        try:
            entries.append(model.model_validate(item))
        except ValidationError as exc:
            raise UsageError(f"{path}: {first_error(exc, [*prefix, n])}") from None
    if not entries:
        raise GateFailure(f"{path}: no {key}: a promotion names at least one")
    dup = duplicates(_where(e) for e in entries)
    if dup:
        raise GateFailure(f"{path}: duplicate {key[:-1]} path {dup[0]!r}: each is listed once")
    return [e.model_dump(exclude_none=True) for e in entries]


def _where(entry: Artifact | CatalogRef) -> str:
    """What names an entry: its path, or a published artifact's uri."""
    return entry.where if isinstance(entry, Artifact) else entry.path


def duplicates(values: Iterable[str]) -> list[str]:
    return sorted(v for v, n in Counter(values).items() if n > 1)


def _qa(path: Path, slug: str) -> str:
    text = read_text(path, "QA report")
    data = parse(text, str(path), "QA report")
    try:
        qa = QaReport.model_validate(data)
    except ValidationError as exc:
        raise UsageError(f"{path}: not a QA report v1: {first_error(exc)}") from None
    if qa.dataset_slug != slug:
        raise GateFailure(f"{path}: the QA report is for {qa.dataset_slug}, not {slug}")
    failed = [c.id for c in qa.checks if c.status == "fail"]
    if qa.status != "pass":
        raise GateFailure(f"{path}: the QA report says {qa.status}; only a QA pass is promoted")
    if failed:
        raise GateFailure(f"{path}: QA checks {', '.join(failed)} fail; only a QA pass is promoted")
    return sha256_digest(text.encode("utf-8"))


def _decision(path: Path, slug: str) -> PolicyDecision:
    data = read_json(path, "policy decision")
    try:
        decision = PolicyDecision.model_validate(data)
    except ValidationError as exc:
        raise UsageError(f"{path}: not a policy decision v1: {first_error(exc)}") from None
    if decision_id_for(data) != decision.decision_id:
        raise GateFailure(
            f"{path}: $.decision_id does not match the decision's content "
            "(kfm://policy_decision/ + sha256 of its RFC 8785 bytes without decision_id)"
        )
    if decision.dataset_slug != slug:
        raise GateFailure(f"{path}: the policy decision is for {decision.dataset_slug}, not {slug}")
    if decision.decision != "allow":
        raise GateFailure(
            f"{path}: the policy decision is {decision.decision}; only allow is promoted"
        )
    return decision


def version_problem(version: str, spec_hash: str, released_at: str) -> str | None:
    """Why a version id is not `<YYYY-MM of released_at>.<first 8 hex of spec_hash>`, or None."""
    month, _, short = version.partition(".")
    if short != spec_hash[7:15]:
        return f"does not end in .{spec_hash[7:15]}, the first 8 hex of spec_hash {spec_hash}"
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}", month) or not released_at.startswith(month + "-"):
        return f"does not start with {released_at[:7]}, the month of released_at {released_at}"
    return None


def _version_matches(version: str, spec_hash: str, released_at: str, shown: str) -> None:
    problem = version_problem(version, spec_hash, released_at)
    if problem:
        raise GateFailure(f"{shown} {problem}")


def approval_problems(approvals: Sequence[Approval], released_at: str) -> list[tuple[str, str]]:
    """(json path, problem) of approvals that break the contract; the list itself too."""
    if not approvals:
        return [("$.approvals", "no approvals: a promotion needs at least one steward approval")]
    out: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for n, a in enumerate(approvals):
        key = (a.role, a.principal.split(":")[1])  # the id, not the login, is the person
        if key in seen:
            out.append((f"$.approvals[{n}]", f"{a.principal} approves as {a.role} twice"))
        seen.add(key)
        if _instant(a.approved_at) > _instant(released_at):
            out.append(
                (
                    f"$.approvals[{n}].approved_at",
                    f"{a.approved_at} is after released_at {released_at}",
                )
            )
    return out


def _instant(utc: str) -> str:
    """An RFC 3339 UTC time in a form that sorts in time order (fraction padded)."""
    head, _, frac = utc.removesuffix("Z").partition(".")
    return head + "." + frac.ljust(9, "0")


def _approvals(path: Path, released_at: str) -> list[dict[str, str]]:
    loaded = load_approvals(path)
    approvals = [
        Approval(role=a.role, principal=f"github:{a.user_id}:{a.login}", approved_at=a.approved_at)
        for a in loaded
    ]
    problems = approval_problems(approvals, released_at)
    if problems:
        at, problem = problems[0]
        index = re.match(r"\$\.approvals\[([0-9]+)\]", at)
        shown = loaded[int(index.group(1))].where if index else str(path)
        raise GateFailure(f"{shown}: {problem}")
    return [a.model_dump() for a in approvals]


def manifest_problems(data: Any) -> list[str]:
    """Every way a manifest (already parsed JSON) breaks the schema or the contract, located by
    JSON path; empty when it is a valid promotion manifest v1."""
    try:
        manifest = PromotionManifest.model_validate(data)
    except ValidationError as exc:
        return [f"{where(e['loc'])}: {problem_text(e)}" for e in exc.errors()]
    out: list[str] = []
    for key, items in (("artifacts", manifest.artifacts), ("catalogs", manifest.catalogs)):
        out += [f"$.{key}: duplicate path {p!r}" for p in duplicates(_where(i) for i in items)]
    problem = version_problem(manifest.dataset_version_id, manifest.spec_hash, manifest.released_at)
    if problem:
        out.append(f"$.dataset_version_id: {manifest.dataset_version_id} {problem}")
    out += [
        f"{at}: {msg}" for at, msg in approval_problems(manifest.approvals, manifest.released_at)
    ]
    return out


def digest_targets(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(json path, path, digest) of every artifact and catalog of a schema-valid manifest that
    is a file (published zone objects are checked by `kfm-bot zones audit`)."""
    return [
        (f"$.{key}[{n}]", item["path"], item["digest"])
        for key in ("artifacts", "catalogs")
        for n, item in enumerate(data[key])
        if "path" in item
    ]
