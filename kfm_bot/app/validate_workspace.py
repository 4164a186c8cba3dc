"""Use case of `kfm-bot validate`: gates A-F on one dataset version in a pipeline's workspace.

A workspace is a directory laid out like the governance repository (`registry/sources/`,
`specs/<slug>/`, `policies/`), usually a checkout of it where the pipeline has written the
dataset's evidence; it need not be a git repository. The gates judge the dataset as a pull
request adding its directory would be judged, under the workspace's own policies.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kfm_bot.errors import GateFailure, UsageError
from kfm_bot.models.common import DATASET_VERSION_PATTERN
from kfm_bot.repo.layout import SPEC_FILE, SPECS_DIR

if TYPE_CHECKING:
    from kfm_bot.gates.evaluate import Evaluation

GATE_LETTERS = ("A", "B", "C", "D", "E", "F")  # G (posture) only ever warns: not the contract


@dataclass(frozen=True)
class WorkspaceVerdict:
    slug: str
    spec_hash: str | None
    evaluation: Evaluation


def validate_workspace(workspace: Path, slug: str | None, version: str | None) -> WorkspaceVerdict:
    import re

    from kfm_bot.canonical import spec_hash
    from kfm_bot.gates.evaluate import evaluate_dataset
    from kfm_bot.gates.registry import GATES
    from kfm_bot.repo.documents import DocumentStore
    from kfm_bot.repo.snapshot import directory_snapshot

    if not workspace.is_dir():
        raise UsageError(f"--workspace {workspace}: not a directory")
    if (workspace / SPEC_FILE).is_file() and not (workspace / SPECS_DIR).is_dir():
        raise UsageError(
            f"--workspace {workspace}: is a dataset directory; pass the directory laid out like "
            f"the repository that holds {SPECS_DIR}/<slug>/, registry/sources/ and policies/"
        )
    chosen = slug or _only_dataset(workspace)
    if not (workspace / SPECS_DIR / chosen / SPEC_FILE).is_file():
        raise UsageError(f"--workspace {workspace}: no {SPECS_DIR}/{chosen}/{SPEC_FILE}")
    if version is not None and not re.fullmatch(DATASET_VERSION_PATTERN[1:-1], version):
        raise UsageError(
            f"--dataset-version-id {version!r} does not match {DATASET_VERSION_PATTERN}"
        )
    snapshot = directory_snapshot(workspace.resolve(), f"workspace {workspace}")
    data = DocumentStore(snapshot).data(f"{SPECS_DIR}/{chosen}/{SPEC_FILE}")
    digest = spec_hash(data) if data is not None else None
    if version is not None and digest is not None and version[8:] != digest[7:15]:
        raise GateFailure(
            f"--dataset-version-id {version} is not a version of {chosen}: its spec_hash "
            f"{digest} gives versions ending in .{digest[7:15]}"
        )
    gates = {letter: GATES[letter] for letter in GATE_LETTERS}
    return WorkspaceVerdict(chosen, digest, evaluate_dataset(snapshot, chosen, gates))


def _only_dataset(workspace: Path) -> str:
    specs = workspace / SPECS_DIR
    found = sorted(p.parent.name for p in specs.glob(f"*/{SPEC_FILE}")) if specs.is_dir() else []
    if len(found) != 1:
        listed = ", ".join(found[:10]) or f"none under {SPECS_DIR}/"
        raise UsageError(f"--workspace {workspace}: name the dataset with --dataset ({listed})")
    return found[0]
