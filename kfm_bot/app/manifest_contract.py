"""Use cases of `kfm-bot manifest build` and `manifest validate`: the promotion contract for
pipelines that run outside GitHub (DESIGN.md section 9; the rules are in promotion/contract)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from kfm_bot.app.atomic_file import write_atomic
from kfm_bot.canonical import json_file_bytes, sha256_digest
from kfm_bot.digests import verify_workspace_file
from kfm_bot.errors import UsageError
from kfm_bot.promotion.contract import (
    ContractInputs,
    build_manifest,
    digest_targets,
    manifest_problems,
)
from kfm_bot.promotion.json_input import Refused, no_constant, read_text, unique_keys


def build_to_file(inputs: ContractInputs, out: Path) -> str:
    """Build the manifest and write it to `out` atomically; returns its digest. Nothing is
    written unless every input holds: a failure leaves an existing `out` as it was."""
    data = json_file_bytes(build_manifest(inputs))
    write_atomic(out, data)
    return sha256_digest(data)


@dataclass(frozen=True)
class ManifestVerdict:
    problems: list[str]  # each `<json path>: <problem>`
    artifacts: int
    catalogs: int
    verified: int  # digests checked against workspace bytes


def validate_file(path: Path, workspace: Path | None) -> ManifestVerdict:
    """The manifest's schema and contract problems, then (with a workspace, and only when the
    shape holds) every artifact's and catalog's digest against the workspace bytes.

    An unreadable file is a usage error; a file that is not JSON is a problem of the manifest.
    """
    if workspace is not None and not workspace.is_dir():
        raise UsageError(f"--workspace {workspace}: not a directory")
    text = read_text(path, "promotion manifest")
    try:  # the file is what is being judged: not JSON is a verdict (exit 1), not a usage error
        data = json.loads(text, object_pairs_hook=unique_keys, parse_constant=no_constant)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        return ManifestVerdict([f"{where}: not valid JSON: {exc.msg}"], 0, 0, 0)
    except (Refused, RecursionError) as exc:
        return ManifestVerdict([f"not valid JSON: {exc or 'nested too deeply'}"], 0, 0, 0)
    problems = manifest_problems(data)
    if problems:
        return ManifestVerdict(problems, 0, 0, 0)
    artifacts, catalogs = len(data["artifacts"]), len(data["catalogs"])
    if workspace is None:
        return ManifestVerdict([], artifacts, catalogs, 0)
    targets = digest_targets(data)
    for at, rel, digest in targets:
        problem = verify_workspace_file(workspace, rel, digest)
        if problem is not None:
            problems.append(f"{at}: {problem.message}")
    return ManifestVerdict(problems, artifacts, catalogs, len(targets))
