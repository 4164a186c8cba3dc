"""Recompute a dataset's run evidence: receipt digests, spec_hash, version id, attestations.

It stands in for the pipeline run that would write them: the demo "runs" a new dataset's
pipeline with it, and maintainers re-run it after editing example content
(`python -m tests.helpers.refresh_digests [--check]`).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]  # the project checkout (example content)
ZERO = "sha256:" + "0" * 64


def sha256_bytes(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def jcs(value: Any) -> bytes:
    import rfc8785

    return bytes(rfc8785.dumps(value))


def load_spec(path: Path) -> dict[str, Any]:
    """The spec as JSON data, through the bot's strict loader when it is there."""
    from kfm_bot.errors import UsageError
    from kfm_bot.yaml.strict import load_strict

    loaded = load_strict(path.read_bytes(), str(path))
    if loaded.data is None:
        problems = "; ".join(f"{f.line}:{f.column} {f.message}" for f in loaded.findings)
        # A KfmError, not SystemExit: a library never ends the process; the caller's handler does.
        raise UsageError(f"{path}: {problems}")
    return loaded.data


def spec_hash(spec: dict[str, Any]) -> str:
    return sha256_bytes(jcs(spec))


def params_digest(spec: dict[str, Any]) -> str:
    """sha256 of the JCS bytes of `{transform id: params}`."""
    return sha256_bytes(jcs({t["id"]: t.get("params", {}) for t in spec["transforms"]}))


def recompute(spec_dir: Path, receipt: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    """The receipt with what the files and the spec determine recomputed: spec_hash, the
    dataset version id's suffix, the digests of inputs and outputs beside the spec,
    params_digest, the QA report's digest, and the validation status the report gives. What
    only the run knows (an upstream snapshot's digest, the container, the commit) is kept."""
    out: dict[str, Any] = json.loads(json.dumps(receipt))
    digest = spec_hash(spec)
    month = str(out["dataset_version_id"]).split(".")[0]
    out["spec_hash"] = digest
    out["dataset_version_id"] = f"{month}.{digest[7:15]}"
    for key in ("outputs", "inputs"):
        for item in out[key]:
            if item.get("path"):
                item["digest"] = sha256_bytes(_run_file(spec_dir, item["path"], key).read_bytes())
    out["environment"]["params_digest"] = params_digest(spec)
    report = _run_file(spec_dir, spec["qa"], "QA report").read_bytes()
    out["validation"]["report_digest"] = sha256_bytes(report)
    status = json.loads(report).get("status") if report.strip().startswith(b"{") else None
    if status in ("pass", "fail", "warn"):
        out["validation"]["status"] = status
    return out


def _run_file(spec_dir: Path, rel: str, what: str) -> Path:
    from kfm_bot.errors import UsageError

    path = spec_dir / rel
    if not path.is_file():
        raise UsageError(f"{path}: the {what} file the receipt names does not exist; run the"
                         " pipeline first (or fix the path)")  # fmt: skip
    return path


def refreshed(spec_dir: Path, receipt: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    """`recompute`, then stand-ins for what only a run knows, where it is still zero: the
    demo and the example content have no pipeline behind them."""
    out = recompute(spec_dir, receipt, spec)
    month = str(out["dataset_version_id"]).split(".")[0]
    for item in out["inputs"]:
        if not item.get("path") and item["digest"] == ZERO:  # an upstream snapshot
            item["digest"] = sha256_bytes(f"upstream {item.get('source_id')} {month}".encode())
    env = out["environment"]
    if env["container_digest"] == ZERO:
        env["container_digest"] = sha256_bytes(b"ghcr.io/kfm/pipeline-runner:2026.11.0")
    if set(env["git_commit"]) == {"0"}:
        env["git_commit"] = hashlib.sha1(out["run_id"].encode(), usedforsecurity=False).hexdigest()
    return out


def render(receipt: dict[str, Any]) -> str:
    return json.dumps(receipt, indent=2, ensure_ascii=False) + "\n"


def refreshed_provenance(spec_dir: Path, statement: dict[str, Any]) -> dict[str, Any]:
    """The in-toto statement with each subject's sha256 set from the file it names."""
    out: dict[str, Any] = json.loads(json.dumps(statement))
    for subject in out["subject"]:
        digest = sha256_bytes((spec_dir / subject["name"]).read_bytes())
        subject["digest"]["sha256"] = digest.removeprefix("sha256:")
    return out


def _expected(spec_path: Path) -> dict[Path, str]:
    spec, spec_dir = load_spec(spec_path), spec_path.parent
    result = {}
    for rel in spec.get("receipts", []):
        path = spec_dir / rel
        result[path] = render(refreshed(spec_dir, json.loads(path.read_text()), spec))
    provenance = spec_dir / "attestations" / "provenance.json"
    if provenance.is_file():
        statement = json.loads(provenance.read_text())
        result[provenance] = render(refreshed_provenance(spec_dir, statement))
    return result


def stale(root: Path = ROOT) -> dict[Path, str]:
    """File path -> the text it should have, for every receipt or attestation out of date."""
    result = {}
    for spec_path in sorted((root / "specs").glob("*/spec.yaml")):
        for path, text in _expected(spec_path).items():
            if path.read_text() != text:
                result[path] = text
    return result


def refresh(root: Path) -> list[Path]:
    """Rewrite every stale receipt and attestation under `root`; returns what changed."""
    todo = stale(root)
    for path, text in todo.items():
        path.write_text(text)
    return sorted(todo)
