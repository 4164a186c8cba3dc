"""`kfm-bot refresh SLUG`: record a pipeline run's digests in a dataset's receipts.

The public form of `refresh.recompute`. A receipt binds a run to the spec it ran (its
spec_hash): when the spec changed since, the outputs on disk may not be what the spec now
describes, so refreshing is refused unless the caller says the change is known, and the
refusal names what changed (from the committed spec that had the recorded hash).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from kfm_bot.errors import UsageError
from kfm_bot.repo.layout import spec_path
from kfm_bot.scaffold.ids import check_id
from kfm_bot.scaffold.refresh import (
    ZERO,
    load_spec,
    recompute,
    refreshed_provenance,
    render,
    spec_hash,
)
from kfm_bot.scaffold.spec_changes import changes_since

PROVENANCE = "attestations/provenance.json"


def refresh_dataset(root: Path, slug: str, spec_changed: bool) -> list[str]:
    """Rewrite the dataset's receipts (and provenance subjects) whose recomputed text differs;
    returns their repository paths. Nothing is written unless every one could be computed."""
    rel_spec = spec_path(check_id("dataset slug", slug))
    spec_file = root / rel_spec
    if not spec_file.is_file():
        raise UsageError(f"{rel_spec} does not exist; `kfm-bot new dataset {slug}` makes one")
    _no_link(root, spec_file)
    spec = _valid_spec(load_spec(spec_file), rel_spec)
    spec_dir, todo = spec_file.parent, {}
    # Every file refresh reads or writes must be a plain file inside the repository: a
    # contributor's symlinked receipt folder, output or QA report would otherwise make a
    # maintainer's refresh overwrite, or publish the digest of, a file outside it.
    for rel in [
        *spec["receipts"],
        spec["qa"],
        *(o["path"] for o in spec["outputs"] if o.get("path")),
    ]:
        _no_link(root, spec_dir / rel)
    for rel in spec["receipts"]:
        path = spec_dir / rel
        receipt = _receipt(path, f"{rel_spec.rsplit('/', 1)[0]}/{rel}", spec)
        for item in receipt["inputs"]:
            if item.get("path"):
                _no_link(root, spec_dir / item["path"])
        recorded, current = receipt["spec_hash"], spec_hash(spec)
        if recorded not in (ZERO, current) and not spec_changed:
            what = changes_since(root, rel_spec, recorded)
            raise UsageError(
                f"{path.relative_to(root)} was recorded for spec_hash {recorded[:19]}…, and "
                f"{rel_spec} now hashes to {current[:19]}… ({what}); re-run the pipeline, or "
                "pass --spec-changed to record the new spec_hash for the outputs as they are"
            )
        todo[path] = render(recompute(spec_dir, receipt, spec))
    provenance = spec_dir / PROVENANCE
    if provenance.is_file() or provenance.is_symlink():
        _no_link(root, provenance)
        statement = _statement(root, spec_dir, provenance)
        todo[provenance] = render(refreshed_provenance(spec_dir, statement))
    changed = [p for p, text in todo.items() if p.read_text(encoding="utf-8") != text]
    _replace_all(root, {path: todo[path] for path in changed})
    return [str(p.relative_to(root)) for p in changed]


def _no_link(root: Path, path: Path) -> None:
    """UsageError unless `path` and every folder between `root` and it is no symlink."""
    rel = path.relative_to(root)
    for depth in range(1, len(rel.parts) + 1):
        node = root.joinpath(*rel.parts[:depth])
        if node.is_symlink():
            raise UsageError(
                f"{node.relative_to(root).as_posix()} is a symbolic link; refresh reads and"
                " writes only regular files inside the repository"
            )


def _statement(root: Path, spec_dir: Path, path: Path) -> dict[str, Any]:
    """The provenance statement, if every subject names a plain file beside the spec."""
    from kfm_bot.models.common import REL_PATH_PATTERN

    rel = path.relative_to(root).as_posix()
    try:
        statement: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        subjects = statement["subject"]
        names = [s["name"] for s in subjects if isinstance(s["digest"], dict)]
        if len(names) != len(subjects):
            raise ValueError("a subject's digest is not an object")
    except (ValueError, KeyError, TypeError, RecursionError) as exc:
        raise UsageError(f"{rel}: not an in-toto statement with subjects: {exc}") from None
    for n, name in enumerate(names):
        if not isinstance(name, str) or not re.fullmatch(REL_PATH_PATTERN, name):
            shown = str(name).encode("unicode_escape").decode("ascii")[:120]
            raise UsageError(f"{rel}: subject[{n}].name `{shown}` is not a path beside the spec")
        if not (spec_dir / name).is_file():
            raise UsageError(f"{rel}: subject[{n}].name {name} does not exist beside the spec")
        _no_link(root, spec_dir / name)
    return statement


def _valid_spec(spec: dict[str, Any], rel: str) -> dict[str, Any]:
    """The spec, if the model accepts it: refresh needs its receipts, outputs and QA path."""
    from pydantic import ValidationError

    from kfm_bot.models.spec import PipelineSpec

    try:
        PipelineSpec.model_validate(spec)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(top)"
        raise UsageError(
            f"{rel}: `{where}`: {first['msg']}; fill in the spec first (`kfm-bot check` shows"
            " every field at its line)"
        ) from None
    return spec


def _receipt(path: Path, rel: str, spec: dict[str, Any]) -> dict[str, Any]:
    """The receipt synced with the spec (`_synced`), if the model then accepts it: a skeleton
    from `kfm-bot new dataset` holds blanks the spec fills, so it is judged after syncing."""
    from pydantic import ValidationError

    from kfm_bot.models.receipt import RunReceipt

    if not path.is_file():
        raise UsageError(f"{rel}: the receipt the spec lists does not exist")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, RecursionError) as exc:
        raise UsageError(f"{rel}: not a valid run receipt: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict) or not isinstance(data.get("outputs", []), list):
        raise UsageError(f"{rel}: not a valid run receipt: not a JSON object with `outputs`")
    synced = _synced(data, spec)
    try:
        RunReceipt.model_validate(synced)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(top)"
        more = f" (and {len(exc.errors()) - 1} more)" if len(exc.errors()) > 1 else ""
        raise UsageError(
            f"{rel}: not a valid run receipt: `{where}`: {first['msg']}{more}"
        ) from None
    return synced


def _synced(receipt: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    """The receipt's outputs beside the spec follow the spec's `path` outputs (zone objects,
    named by `uri`, are the run's record and stay as they are), and its policy label is the
    spec's: a label change changes spec_hash, which `refresh` refuses without --spec-changed."""
    zone = [item for item in receipt.get("outputs", []) if not item.get("path")]
    files = [
        {"path": out["path"], "digest": ZERO, "media_type": out["media_type"]}
        for out in spec["outputs"]
        if out.get("path")
    ]
    policy = receipt.get("policy")
    if isinstance(policy, dict):
        policy = {**policy, "policy_label": spec["policy_label"]}
    return {**receipt, "outputs": files + zone, "policy": policy}


def _replace_all(root: Path, texts: dict[Path, str]) -> None:
    """Write every file through a fresh temporary file in its folder (O_EXCL: never through a
    planted link), all staged before the first rename: a failure while writing (a full disk)
    leaves every old file as it was."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, text in texts.items():
            fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            staged.append((Path(name), path))
            with os.fdopen(fd, "wb") as fh:
                fh.write(text.encode("utf-8"))
        for tmp, path in staged:
            tmp.replace(path)
    except OSError as exc:
        raise UsageError(f"cannot write in {root}: {exc.strerror}") from None
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
